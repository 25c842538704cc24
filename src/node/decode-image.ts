import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import { fileFetch } from './file-fetch.js';
import { importOptionalPackage } from './optional-package.js';

/**
 * Decodes a JPEG, PNG or WebP file (or bytes) into an int32 RGB tensor [height, width, 3] the
 * way PIL's `Image.open(f).convert('RGB')` plus EXIF orientation does: alpha dropped (not
 * composited), grayscale expanded to three equal channels.
 */
export async function decodeImage(source: string | Uint8Array, maxPixels = 50_000_000): Promise<tf.Tensor3D> {
  const { rgb, width, height } = await decodeRgb(source, maxPixels);
  await ensureBackend();
  // The typed-array constructor copies in native code: Int32Array.from iterates, 10× slower on 49 MP.
  return tf.tensor3d(new Int32Array(rgb), [height, width, 3], 'int32');
}

/**
 * The classifier's decoder in Node: an image given as a file path, a file: or http(s) URL, or a
 * Blob, decoded with decodeImage.
 */
export async function decodeImageFile(source: string | Blob, maxPixels: number): Promise<tf.Tensor3D> {
  if (typeof source !== 'string') return decodeImage(new Uint8Array(await source.arrayBuffer()), maxPixels);
  if (source.startsWith('file:')) return decodeImage(fileURLToPath(source), maxPixels);
  if (!/^https?:\/\//i.test(source)) return decodeImage(source, maxPixels);
  return decodeImage(await fetchImageBytes(source), maxPixels);
}

async function fetchImageBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fileFetch(url);
  } catch (error) {
    throw new RuntimeError('E_NETWORK', `could not fetch image ${url}: ${String(error)}`, { cause: error });
  }
  if (!response.ok) throw new RuntimeError('E_INVALID_INPUT', `could not fetch image ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * decodeImage may run before loadClassifier has picked a backend: its tensor then lives on
 * TF.js's CPU backend, and moves to the classifier's backend when the classifier reads it.
 */
async function ensureBackend(): Promise<void> {
  if (tf.engine().backendName != null) return;
  if (tf.findBackendFactory('cpu') === null) await import('@tensorflow/tfjs-backend-cpu');
  await tf.ready();
}

/** Decoded RGB bytes, row-major, before any tensor: for callers that read a huge image in strips (the CLI). */
export async function decodeRgb(source: string | Uint8Array, maxPixels: number): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const { default: sharp } = await importOptionalPackage('sharp', 'decoding image files in Node', () => import('sharp'));
  const name = typeof source === 'string' ? source : `${source.length}-byte buffer`;
  try {
    // PIL ignores embedded ICC profiles, so we do too: colour-managing would move pixels by up to 55 levels.
    const image = sharp(source, { limitInputPixels: maxPixels, failOn: 'error', ignoreIcc: true }).rotate();
    const { data, info } = await image.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { rgb: info.channels === 3 ? data : expandToRgb(data, info.channels), width: info.width, height: info.height };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new RuntimeError('E_IMAGE_TOO_LARGE', `${name} has more than ${(maxPixels / 1e6).toFixed(0)} MP; downscale it first`, { cause: error });
    }
    if (/no such file|ENOENT|input file is missing/i.test(message)) throw new RuntimeError('E_INVALID_INPUT', `${name}: no such file`, { cause: error });
    throw new RuntimeError('E_DECODE_FAILED', `could not decode ${name}: ${message} (JPEG, PNG and WebP are supported)`, { cause: error });
  }
}

/** sharp keeps single-channel images single-channel even after toColourspace('srgb'). */
function expandToRgb(data: Uint8Array, channels: number): Uint8Array {
  const pixels = data.length / channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const v = data[p * channels] ?? 0;
    rgb[p * 3] = v;
    rgb[p * 3 + 1] = v;
    rgb[p * 3 + 2] = v;
  }
  return rgb;
}

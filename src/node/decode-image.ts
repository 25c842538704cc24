import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import { importOptionalPackage } from './optional-package.js';

/**
 * Decodes a JPEG, PNG or WebP file (or bytes) into an int32 RGB tensor [height, width, 3] the
 * way PIL's `Image.open(f).convert('RGB')` plus EXIF orientation does: alpha dropped (not
 * composited), grayscale expanded to three equal channels.
 */
export async function decodeImage(source: string | Uint8Array, maxPixels = 50_000_000): Promise<tf.Tensor3D> {
  const { rgb, width, height } = await decodeRgb(source, maxPixels);
  return tf.tensor3d(Int32Array.from(rgb), [height, width, 3], 'int32');
}

async function decodeRgb(source: string | Uint8Array, maxPixels: number): Promise<{ rgb: Uint8Array; width: number; height: number }> {
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

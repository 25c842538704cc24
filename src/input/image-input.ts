import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import type * as browser from '../browser-types.js';
import { bitmapPixels } from './bitmap-pixels.js';
import { decodeBlob, fetchImage } from './decode-blob.js';
import { checkSize, describeValue, isA } from './image-checks.js';
import { isBitmapSource, snapshotBitmap } from './snapshot-bitmap.js';

export { checkSize, isA } from './image-checks.js';

/** Everything `classify`, `embed` and `features` accept as one image (browser types: see browser-types.ts). */
export type ImageInput =
  | browser.BrowserImageElement
  | browser.BrowserCanvasElement
  | browser.BrowserOffscreenCanvas
  | browser.BrowserImageBitmap
  | browser.BrowserImageData
  | browser.BrowserVideoElement
  | browser.BrowserVideoFrame
  | browser.BrowserBlob
  | string
  | tf.Tensor3D;

/**
 * Decodes files where the DOM cannot (Node): a path or URL string, or a Blob's bytes, to RGB
 * pixels. Registered by the Node entry point; browsers decode with createImageBitmap.
 */
export type FileImageDecoder = (source: string | Blob, maxPixels: number) => Promise<tf.Tensor3D>;
let fileDecoder: FileImageDecoder | undefined;

export function useFileImageDecoder(decoder: FileImageDecoder): void {
  fileDecoder = decoder;
}

function tensorPixels(t: tf.Tensor, maxPixels: number): tf.Tensor3D {
  const [height = 0, width = 0, channels = 0] = t.shape;
  if (t.rank !== 3 || ![1, 3, 4].includes(channels)) {
    throw new RuntimeError('E_INVALID_INPUT', `an image tensor must be [height, width, 1|3|4], got shape [${t.shape.join(', ')}]`);
  }
  checkSize(width, height, maxPixels);
  return tf.tidy(() => {
    const rgb = channels === 1 ? tf.tile(t, [1, 1, 3]) : channels === 4 ? tf.slice(t, [0, 0, 0], [-1, -1, 3]) : t.clone();
    return tf.cast(rgb, 'float32') as tf.Tensor3D;
  });
}

/** Reads a bitmap this module made, then frees it. */
async function ownBitmapPixels(bitmap: ImageBitmap, maxPixels: number): Promise<tf.Tensor3D> {
  try {
    checkSize(bitmap.width, bitmap.height, maxPixels);
    return await bitmapPixels(bitmap);
  } finally {
    bitmap.close();
  }
}

async function filePixels(source: string | Blob, maxPixels: number): Promise<tf.Tensor3D> {
  if (fileDecoder) return fileDecoder(source, maxPixels);
  const blob = typeof source === 'string' ? await fetchImage(source) : source;
  return ownBitmapPixels(await decodeBlob(blob), maxPixels);
}

/**
 * Turns any supported input into an RGB tensor [height, width, 3] of 0–255 values (int32 from
 * pixels, float32 from tensors) on the active backend. Every kind gives the same pixels for the
 * same picture: its intrinsic size, no colour management, alpha dropped without premultiplying
 * (see EXACT_PIXELS). The caller owns and disposes the result.
 */
export async function toPixelTensor(input: ImageInput, maxPixels: number): Promise<tf.Tensor3D> {
  if (input instanceof tf.Tensor) return tensorPixels(input, maxPixels);
  if (typeof input === 'string' || isA<Blob>(input, 'Blob')) return filePixels(input, maxPixels);
  if (isA<ImageData>(input, 'ImageData')) {
    // Its bytes are unpremultiplied already, and TF.js reads them directly on every backend.
    checkSize(input.width, input.height, maxPixels);
    return tf.browser.fromPixels(input, 3);
  }
  if (isA<ImageBitmap>(input, 'ImageBitmap')) {
    // The caller's bitmap, read as it is (and left open).
    checkSize(input.width, input.height, maxPixels);
    return bitmapPixels(input);
  }
  if (isBitmapSource(input)) return ownBitmapPixels(await snapshotBitmap(input, maxPixels), maxPixels);
  throw new RuntimeError(
    'E_INVALID_INPUT',
    `cannot classify a ${describeValue(input)}: pass an HTMLImageElement, canvas, OffscreenCanvas, ImageBitmap, ImageData, video, VideoFrame, Blob/File, URL string or tf.Tensor3D`,
  );
}

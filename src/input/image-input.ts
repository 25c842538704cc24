import * as tf from '@tensorflow/tfjs-core';
import type * as browser from '../browser-types.js';
import { RuntimeError } from '../../shared/errors.js';

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

type Drawable = HTMLImageElement | HTMLCanvasElement | ImageBitmap | ImageData | HTMLVideoElement;

/** `instanceof` that is safe where the class does not exist (workers, Node). */
export function isA<T>(value: unknown, name: string): value is T {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' && value instanceof (ctor as new () => unknown);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

export function checkSize(width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) {
    throw new RuntimeError('E_EMPTY_IMAGE', `image is ${width}×${height}: it has no pixels (is it loaded? a 0×0 canvas?)`);
  }
  if (width * height > maxPixels) {
    throw new RuntimeError(
      'E_IMAGE_TOO_LARGE',
      `image is ${width}×${height} = ${((width * height) / 1e6).toFixed(1)} MP, over the limit of ${(maxPixels / 1e6).toFixed(1)} MP; downscale it first or raise maxPixels`,
    );
  }
}

/**
 * Decodes like PIL's `Image.open(f).convert('RGB')`: EXIF orientation applied, no colour
 * management, alpha not premultiplied in. (The GPU backends upload these pixels as they are; on
 * WASM/CPU, TF.js reads them through a 2D canvas, which premultiplies semi-transparent pixels and
 * so shifts their colour slightly: 0.011 in the logits of the test RGBA photo.)
 */
async function decodeBlob(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch (error) {
    const kind = blob.type || 'unknown type';
    throw new RuntimeError('E_DECODE_FAILED', `could not decode the image (${kind}, ${blob.size} bytes): it is corrupt or not an image format this browser decodes`, { cause: error });
  }
}

async function fetchImage(url: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new RuntimeError('E_NETWORK', `could not fetch image ${url}: network error or CORS refusal (a cross-origin image needs Access-Control-Allow-Origin)`, { cause: error });
  }
  if (!response.ok) throw new RuntimeError('E_INVALID_INPUT', `could not fetch image ${url}: HTTP ${response.status}`);
  return response.blob();
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

function drawablePixels(source: Drawable, width: number, height: number, maxPixels: number): tf.Tensor3D {
  checkSize(width, height, maxPixels);
  return tf.browser.fromPixels(source, 3);
}

async function bitmapPixels(bitmap: ImageBitmap, maxPixels: number): Promise<tf.Tensor3D> {
  try {
    return drawablePixels(bitmap, bitmap.width, bitmap.height, maxPixels);
  } finally {
    bitmap.close();
  }
}

/**
 * Turns any supported input into an RGB tensor [height, width, 3] of 0–255 values (int32 from
 * pixels, float32 from tensors) on the active backend; GPU uploads stay on the GPU. The caller
 * owns and disposes the result.
 */
export async function toPixelTensor(input: ImageInput, maxPixels: number): Promise<tf.Tensor3D> {
  if (input instanceof tf.Tensor) return tensorPixels(input, maxPixels);
  if (typeof input === 'string') return bitmapPixels(await decodeBlob(await fetchImage(input)), maxPixels);
  if (isA<Blob>(input, 'Blob')) return bitmapPixels(await decodeBlob(input), maxPixels);
  if (isA<HTMLImageElement>(input, 'HTMLImageElement')) {
    if (!input.complete) await input.decode();
    return drawablePixels(input, input.naturalWidth, input.naturalHeight, maxPixels);
  }
  if (isA<HTMLVideoElement>(input, 'HTMLVideoElement')) {
    if (input.readyState < 2) throw new RuntimeError('E_INVALID_INPUT', 'the video has no frame to read yet (readyState < HAVE_CURRENT_DATA); wait for its loadeddata event');
    return drawablePixels(input, input.videoWidth, input.videoHeight, maxPixels);
  }
  if (isA<HTMLCanvasElement>(input, 'HTMLCanvasElement') || isA<ImageData>(input, 'ImageData')) {
    return drawablePixels(input, input.width, input.height, maxPixels);
  }
  if (isA<ImageBitmap>(input, 'ImageBitmap')) return drawablePixels(input, input.width, input.height, maxPixels);
  if (isA<OffscreenCanvas>(input, 'OffscreenCanvas') || isA<VideoFrame>(input, 'VideoFrame')) {
    const [w, h] = isA<VideoFrame>(input, 'VideoFrame') ? [input.displayWidth, input.displayHeight] : [input.width, input.height];
    checkSize(w, h, maxPixels);
    return bitmapPixels(await createImageBitmap(input), maxPixels);
  }
  throw new RuntimeError(
    'E_INVALID_INPUT',
    `cannot classify a ${describe(input)}: pass an HTMLImageElement, canvas, OffscreenCanvas, ImageBitmap, ImageData, video, VideoFrame, Blob/File, URL string or tf.Tensor3D`,
  );
}

import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import { checkSize, isA, type ImageInput } from '../input/image-input.js';
import { absoluteUrl } from './absolute-url.js';
import type { WireImage, WireTensor } from './protocol.js';

/** Inputs that cannot be posted (elements) or cannot be posted without taking them from the caller. */
type BitmapSource = HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | OffscreenCanvas | VideoFrame;
const BITMAP_SOURCES = ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'OffscreenCanvas', 'VideoFrame'];

function isBitmapSource(input: unknown): input is BitmapSource {
  return BITMAP_SOURCES.some((name) => isA(input, name));
}

function sourceSize(source: BitmapSource): readonly [number, number] {
  if (isA<HTMLImageElement>(source, 'HTMLImageElement')) return [source.naturalWidth, source.naturalHeight];
  if (isA<HTMLVideoElement>(source, 'HTMLVideoElement')) return [source.videoWidth, source.videoHeight];
  if (isA<VideoFrame>(source, 'VideoFrame')) return [source.displayWidth, source.displayHeight];
  return [source.width, source.height];
}

/** Snapshots the source's current pixels; the size check runs first so a huge image is never copied. */
async function toBitmap(source: BitmapSource, maxPixels: number): Promise<ImageBitmap> {
  if (isA<HTMLImageElement>(source, 'HTMLImageElement') && !source.complete) await source.decode();
  const [width, height] = sourceSize(source);
  checkSize(width, height, maxPixels);
  try {
    return await createImageBitmap(source);
  } catch (error) {
    throw new RuntimeError('E_INVALID_INPUT', `could not read the pixels of this ${source.constructor.name} (${String(error)}); a video needs its loadeddata event first`, { cause: error });
  }
}

/**
 * Makes one input postable. Elements, canvases and frames become ImageBitmaps (the caller
 * transfers these); Blobs, ImageData and ImageBitmaps are posted as copies, so the caller's own
 * stay usable (a Blob's bytes are shared, not copied); tensors go as their values.
 */
async function toWireImage(input: ImageInput, maxPixels: number): Promise<WireImage> {
  if (input instanceof tf.Tensor) return { kind: 'tensor', data: await input.data(), shape: input.shape, dtype: input.dtype };
  if (typeof input === 'string') return absoluteUrl(input);
  if (isBitmapSource(input)) return toBitmap(input, maxPixels);
  return input;
}

export interface WireInput {
  readonly input: WireImage | WireImage[];
  /** The bitmaps made here from the caller's elements: ours to move rather than copy. */
  readonly transfer: ImageBitmap[];
}

/** Main thread: one input or a batch, made postable (see toWireImage). */
export async function toWireInput(input: ImageInput | readonly ImageInput[], maxPixels: number): Promise<WireInput> {
  const images: readonly ImageInput[] = Array.isArray(input) ? input : [input as ImageInput];
  const wire = await Promise.all(images.map((image) => toWireImage(image, maxPixels)));
  const transfer = wire.filter((image, i): image is ImageBitmap => image !== images[i] && isA<ImageBitmap>(image, 'ImageBitmap'));
  return { input: Array.isArray(input) ? wire : (wire[0] as WireImage), transfer };
}

function isWireTensor(image: WireImage): image is WireTensor {
  return typeof image === 'object' && (image as Partial<WireTensor>).kind === 'tensor';
}

/** Worker: the input the classifier takes for a posted one. Pass it to releaseImages() after use. */
export function fromWireImage(image: WireImage): ImageInput {
  if (!isWireTensor(image)) return image;
  // Rebuilt with the shape as sent, so a wrong rank is refused by the classifier's usual check.
  return tf.tensor<tf.Rank>(image.data, [...image.shape], image.dtype) as tf.Tensor3D;
}

/** Worker: frees what one call received: rebuilt tensors and ImageBitmaps (transferred ones or copies). */
export function releaseImages(images: ImageInput | readonly ImageInput[]): void {
  for (const image of [images].flat()) {
    if (image instanceof tf.Tensor) image.dispose();
    else if (isA<ImageBitmap>(image, 'ImageBitmap')) image.close();
  }
}

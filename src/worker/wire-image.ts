import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import { isA, type ImageInput } from '../input/image-input.js';
import { isBitmapSource, snapshotBitmap } from '../input/snapshot-bitmap.js';
import { absoluteUrl } from './absolute-url.js';
import type { WireImage, WireTensor } from './protocol.js';

/**
 * Makes one input postable. Elements, canvases and frames become ImageBitmap snapshots made as
 * the main thread's reader makes them (intrinsic size, no colour management, no premultiplied
 * alpha), which the caller transfers; Blobs, ImageData and the caller's own ImageBitmaps are
 * posted as copies, so they stay usable (a Blob's bytes are shared, not copied); tensors go as
 * their values.
 */
async function toWireImage(input: ImageInput, maxPixels: number): Promise<WireImage> {
  if (input instanceof tf.Tensor) return { kind: 'tensor', data: await input.data(), shape: input.shape, dtype: input.dtype };
  if (typeof input === 'string') return absoluteUrl(input);
  if (isA<ImageBitmap>(input, 'ImageBitmap')) return input;
  if (isBitmapSource(input)) return snapshotBitmap(input, maxPixels);
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

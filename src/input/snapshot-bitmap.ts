import { RuntimeError } from '../../shared/errors.js';
import { checkSize, isA } from './image-checks.js';

/**
 * How every decode and snapshot is made, so that each input kind yields the file's own pixels, as
 * PIL's `Image.open(f).convert('RGB')` does: EXIF orientation applied, the embedded colour profile
 * ignored (a colour-managed decode moves pixels by up to 0.39 in the logits), alpha kept apart from
 * the colour (premultiplying darkens semi-transparent pixels: 1.21 in the logits on WebGL).
 */
export const EXACT_PIXELS: ImageBitmapOptions = { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' };

/** Drawables read through an ImageBitmap snapshot: elements, canvases, frames. */
export type BitmapSource = HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | OffscreenCanvas | VideoFrame | ImageBitmap;
const BITMAP_SOURCES = ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'OffscreenCanvas', 'VideoFrame', 'ImageBitmap'];

export function isBitmapSource(input: unknown): input is BitmapSource {
  return BITMAP_SOURCES.some((name) => isA(input, name));
}

/**
 * The size of the picture itself, never of its layout: an `<img width="160">` or one sized by CSS
 * still has all its natural pixels, a `<video>` its coded frame size.
 */
export function intrinsicSize(source: BitmapSource): readonly [number, number] {
  if (isA<HTMLImageElement>(source, 'HTMLImageElement')) return [source.naturalWidth, source.naturalHeight];
  if (isA<HTMLVideoElement>(source, 'HTMLVideoElement')) return [source.videoWidth, source.videoHeight];
  if (isA<VideoFrame>(source, 'VideoFrame')) return [source.displayWidth, source.displayHeight];
  return [source.width, source.height];
}

async function ready(source: BitmapSource): Promise<void> {
  if (isA<HTMLImageElement>(source, 'HTMLImageElement') && !source.complete) await source.decode();
  if (isA<HTMLVideoElement>(source, 'HTMLVideoElement') && source.readyState < 2) {
    throw new RuntimeError('E_INVALID_INPUT', 'the video has no frame to read yet (readyState < HAVE_CURRENT_DATA); wait for its loadeddata event');
  }
}

/**
 * A copy of the source's current pixels at their intrinsic size, made with EXACT_PIXELS; the size
 * check runs first so that a huge image is never copied. The caller owns (and closes) the copy.
 */
export async function snapshotBitmap(source: BitmapSource, maxPixels: number): Promise<ImageBitmap> {
  await ready(source);
  const [width, height] = intrinsicSize(source);
  checkSize(width, height, maxPixels);
  try {
    return await createImageBitmap(source, EXACT_PIXELS);
  } catch (error) {
    throw new RuntimeError('E_INVALID_INPUT', `could not read the pixels of this ${source.constructor.name} (${String(error)})`, { cause: error });
  }
}

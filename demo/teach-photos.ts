import { MAX_PIXELS } from './engine.js';
import type { IncomingFile } from './folder-walk.js';
import { rejectBeforeDecoding } from './photo-check.js';

/**
 * Teaching photos are scaled down to this shorter side first: the tagger mirrors and crops them
 * on this thread and posts the pixels of each copy to the worker, which for a 12 MP original is
 * ~150 MB a copy. A 70% crop of 512 px is still above the 342 px Inception resizes to.
 */
export const TEACH_SIDE = 512;

/** The size to scale a photo to, or undefined when its shorter side is within TEACH_SIDE already. */
export function teachingSize(width: number, height: number): { resizeWidth: number; resizeHeight: number } | undefined {
  const scale = TEACH_SIDE / Math.min(width, height);
  if (scale >= 1) return undefined;
  return { resizeWidth: Math.max(1, Math.round(width * scale)), resizeHeight: Math.max(1, Math.round(height * scale)) };
}

/** As the SDK decodes a photo (EXIF orientation applied, no colour management), then scaled down. */
async function decode(file: Blob): Promise<ImageBitmap> {
  const options: ImageBitmapOptions = { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' };
  const bitmap = await createImageBitmap(file, options);
  const size = teachingSize(bitmap.width, bitmap.height);
  if (!size) return bitmap;
  try {
    return await createImageBitmap(bitmap, { ...options, ...size, resizeQuality: 'high' });
  } finally {
    bitmap.close();
  }
}

export interface TeachingPhotos {
  readonly images: ImageBitmap[];
  /** "name: why", for each file that is not a usable photo. */
  readonly skipped: string[];
}

/** The usable photos among `files`, decoded and scaled down; the caller closes the images. */
export async function decodeForTeaching(files: readonly IncomingFile[]): Promise<TeachingPhotos> {
  const images: ImageBitmap[] = [];
  const skipped: string[] = [];
  for (const { file, path } of files) {
    const reason = await rejectBeforeDecoding(file, MAX_PIXELS);
    if (reason !== undefined) {
      skipped.push(`${path}: ${reason}`);
      continue;
    }
    try {
      images.push(await decode(file));
    } catch {
      skipped.push(`${path}: it does not decode (corrupt, or a format this browser cannot read).`);
    }
  }
  return { images, skipped };
}

import { readFileSync } from 'node:fs';
import { FIXTURES } from '../../tools/paths.js';

/** Real photos, with PyTorch's logits for each (PIL resize + crop, then the synthetic seedA weights). */
export const PHOTOS = `${FIXTURES}/photos`;

/** Our decode + preprocessing vs PyTorch's PIL pipeline: the logits must agree this closely (the requirement). */
export const PHOTO_TOLERANCE = 0.02;

/**
 * What inputs that carry the file's own pixels reach: decoding and resizing are exact, so only
 * float rounding is left (measured ≤ 2.3e-5). A 100× regression of any input path fails this.
 */
export const PHOTO_EXACT_TOLERANCE = 1e-4;

interface PhotoIndex {
  photos: { file: string }[];
}

/** The fixture photos' file names, in the order of expected/logits_f32.bin. */
export const PHOTO_FILES = (JSON.parse(readFileSync(`${PHOTOS}/expected/index.json`, 'utf8')) as PhotoIndex).photos.map((p) => p.file);

const LOGITS = new Float32Array(new Uint8Array(readFileSync(`${PHOTOS}/expected/logits_f32.bin`)).buffer);

/** PyTorch's 1000 logits for a fixture photo, by file name. */
export function photoLogits(file: string): Float32Array {
  const i = PHOTO_FILES.indexOf(file);
  if (i < 0) throw new Error(`${file} is not one of the fixture photos (${PHOTO_FILES.join(', ')})`);
  return LOGITS.subarray(i * 1000, (i + 1) * 1000);
}

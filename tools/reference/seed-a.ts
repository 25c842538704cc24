import { readFileSync } from 'node:fs';
import { FIXTURES } from '../paths.js';

/** PyTorch's own outputs for the reference seedA images (see converter/reference/). */
export const SEED_A = {
  count: 4,
  images: new Uint8Array(readFileSync(`${FIXTURES}/seedA/images_u8_nhwc_4x299x299x3.bin`)),
  logits: new Float32Array(new Uint8Array(readFileSync(`${FIXTURES}/seedA/logits_f32_4x1000.bin`)).buffer),
};

export function seedAImages(count: number): { data: Float32Array; shape: [number, number, number, number] } {
  return { data: Float32Array.from(SEED_A.images.subarray(0, count * 299 * 299 * 3)), shape: [count, 299, 299, 3] };
}

/** One seedA image as float32 HWC pixels, for a [299, 299, 3] tensor. */
export function seedAPixels(image: number): Float32Array {
  const size = 299 * 299 * 3;
  return Float32Array.from(SEED_A.images.subarray(image * size, (image + 1) * size));
}

export function seedALogits(image: number): Float32Array {
  return SEED_A.logits.subarray(image * 1000, (image + 1) * 1000);
}

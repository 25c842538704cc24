import sharp from 'sharp';
import { SEED_A } from '../../tools/reference/seed-a.js';

const SIZE = 299;

/**
 * Writes seedA image `index` (299×299 RGB, the input of PyTorch's reference logits) as a lossless
 * PNG, so `--preprocess none` can be checked against seedALogits(index) through a real file.
 */
export async function writeSeedAPng(path: string, index = 0): Promise<string> {
  const bytes = SIZE * SIZE * 3;
  const pixels = SEED_A.images.subarray(index * bytes, (index + 1) * bytes);
  await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(path);
  return path;
}

import sharp from 'sharp';
import { seededRandom } from '../../src/tagger/seeded-random.js';
import { FIXTURES } from '../../tools/paths.js';
import { drawShot } from './photo-shot.js';

/** `count` altered copies of a fixture photo (see drawShot), as JPEG files' bytes, for a browser to be given. */
export async function photoVariantFiles(file: string, count: number, seed: number): Promise<Buffer[]> {
  const path = `${FIXTURES}/photos/${file}`;
  const { width = 0, height = 0 } = await sharp(path).metadata();
  const random = seededRandom(seed);
  return Promise.all(
    Array.from({ length: count }, () => drawShot(random, height, width)).map((shot) => {
      const crop = sharp(path).removeAlpha().extract({ top: shot.top, left: shot.left, width: shot.width, height: shot.height });
      return (shot.mirror ? crop.flop() : crop).linear(shot.brightness, 0).jpeg({ quality: 90 }).toBuffer();
    }),
  );
}

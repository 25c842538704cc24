import * as tf from '@tensorflow/tfjs-core';
import { decodeImage } from '../../src/node/index.js';
import { seededRandom } from '../../src/tagger/seeded-random.js';
import { FIXTURES } from './paths.js';

/**
 * `count` altered copies of a fixture photo, as a photographer's repeat shots would differ: a
 * crop of 60–100% of each side at a random place, mirrored half the time, 15% darker to 15%
 * brighter. Seeded, so every run sees the same images; the caller disposes them.
 */
export async function photoVariants(file: string, count: number, seed: number): Promise<tf.Tensor3D[]> {
  const photo = await decodeImage(`${FIXTURES}/photos/${file}`);
  const random = seededRandom(seed);
  const [height, width] = photo.shape;
  try {
    return Array.from({ length: count }, () =>
      tf.tidy(() => {
        const scale = 0.6 + 0.4 * random();
        const [h, w] = [Math.round(height * scale), Math.round(width * scale)];
        const crop = tf.slice(tf.cast(photo, 'float32'), [Math.floor(random() * (height - h + 1)), Math.floor(random() * (width - w + 1)), 0], [h, w, 3]);
        const mirrored = random() < 0.5 ? tf.reverse(crop, 1) : crop;
        return tf.clipByValue(tf.mul(mirrored, 0.85 + 0.3 * random()), 0, 255) as tf.Tensor3D;
      }),
    );
  } finally {
    photo.dispose();
  }
}

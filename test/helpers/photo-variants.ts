import * as tf from '@tensorflow/tfjs-core';
import { decodeImage } from '../../src/node/index.js';
import { seededRandom } from '../../src/tagger/seeded-random.js';
import { FIXTURES } from '../../tools/paths.js';
import { drawShot } from './photo-shot.js';

/** `count` altered copies of a fixture photo (see drawShot), as tensors; the caller disposes them. */
export async function photoVariants(file: string, count: number, seed: number): Promise<tf.Tensor3D[]> {
  const photo = await decodeImage(`${FIXTURES}/photos/${file}`);
  const random = seededRandom(seed);
  const [height, width] = photo.shape;
  try {
    return Array.from({ length: count }, () =>
      tf.tidy(() => {
        const shot = drawShot(random, height, width);
        const crop = tf.slice(tf.cast(photo, 'float32'), [shot.top, shot.left, 0], [shot.height, shot.width, 3]);
        const mirrored = shot.mirror ? tf.reverse(crop, 1) : crop;
        return tf.clipByValue(tf.mul(mirrored, shot.brightness), 0, 255) as tf.Tensor3D;
      }),
    );
  } finally {
    photo.dispose();
  }
}

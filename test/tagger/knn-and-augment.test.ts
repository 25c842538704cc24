/** The tagger's two pure parts, without a model: kNN voting and the augmentation tensors. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentedVariants } from '../../src/tagger/augment.js';
import { knnProbabilities } from '../../src/tagger/knn.js';
import { seededRandom } from '../../src/tagger/seeded-random.js';
import { AUGMENT_DEFAULTS } from '../../src/tagger/tagger-options.js';
import { l2Normalize } from '../../src/tagger/vector.js';

const unit = (...values: number[]) => l2Normalize(Float32Array.from(values));

describe('knnProbabilities', () => {
  it('one exact match outweighs two fair matches of another tag (few-shot, unbalanced tags)', () => {
    const receipts = [unit(1, 0.2, 0), unit(1, 0.3, 0), unit(1, 0.25, 0.1)];
    const parcel = [unit(0, 1, 0)];
    const [receipt = 0, parcelShare = 0] = knnProbabilities(unit(0, 1, 0), [receipts, parcel], 3);
    expect(parcelShare).toBeGreaterThan(0.99);
    expect(receipt + parcelShare).toBeCloseTo(1, 6);
  });

  it('equally similar neighbours share the vote equally; only the k nearest vote', () => {
    const [a = 0, b = 0, c = 0] = knnProbabilities(unit(1, 1, 0), [[unit(1, 0, 0)], [unit(0, 1, 0)], [unit(0, 0, 1)]], 2);
    expect(a).toBeCloseTo(0.5, 6);
    expect(b).toBeCloseTo(0.5, 6);
    expect(c).toBe(0);
  });
});

describe('augmentedVariants', () => {
  beforeAll(() => tf.setBackend('cpu'));

  const image = () => tf.tidy(() => tf.reshape(tf.range(0, 20 * 30 * 3), [20, 30, 3]) as tf.Tensor3D);
  const variants = (pixels: tf.Tensor3D, seed: number, crops = 3) => augmentedVariants(pixels, { ...AUGMENT_DEFAULTS, crops }, seededRandom(seed));

  it('gives the image, its mirror, then crops of 70–90% of each side; new tensors only', async () => {
    const pixels = image();
    const before = tf.memory().numTensors;
    const [original, mirrored, ...crops] = variants(pixels, 1);
    expect(tf.memory().numTensors).toBe(before + 5);
    expect(await original?.array()).toEqual(await pixels.array());
    const reversed = tf.reverse(pixels, 1);
    expect(await mirrored?.array()).toEqual(await reversed.array());
    expect(crops).toHaveLength(3);
    // Sides are rounded to whole pixels: allow half a pixel either way.
    for (const [h = 0, w = 0] of crops.map((crop) => crop.shape)) {
      expect(h).toBeGreaterThanOrEqual(20 * 0.7 - 0.5);
      expect(h).toBeLessThanOrEqual(20 * 0.9 + 0.5);
      expect(w).toBeGreaterThanOrEqual(30 * 0.7 - 0.5);
      expect(w).toBeLessThanOrEqual(30 * 0.9 + 0.5);
    }
    tf.dispose([original, mirrored, reversed, ...crops] as tf.Tensor[]);
    expect(pixels.isDisposed).toBe(false);
    pixels.dispose();
  });

  it('repeats exactly for a seed and differs for another', async () => {
    const pixels = image();
    const values = async (seed: number) => {
      const list = variants(pixels, seed);
      const read = await Promise.all(list.map(async (t) => [t.shape, await t.array()]));
      tf.dispose(list);
      return read;
    };
    const [first, again, other] = await Promise.all([values(5), values(5), values(6)]);
    expect(again).toEqual(first);
    expect(other.slice(2)).not.toEqual(first.slice(2));
    pixels.dispose();
  });

  it('without flip: the image and unmirrored crops', () => {
    const pixels = image();
    const list = augmentedVariants(pixels, { ...AUGMENT_DEFAULTS, flip: false, crops: 1 }, seededRandom(0));
    expect(list).toHaveLength(2);
    tf.dispose([pixels, ...list]);
  });
});

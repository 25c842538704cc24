import { readFileSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isInceptionError } from '../../shared/errors.js';
import {
  resizeAndCenterCrop,
  resizeAndCenterCropBatch,
  resizeRowsAndCenterCrop,
  torchvisionResizeGeometry,
} from '../../src/preprocess/index.js';
import {
  decodePhoto,
  difference,
  expectedCrop,
  fixtureIndex,
  PHOTOS_DIR,
  syntheticImage,
  type Difference,
} from './photo-fixtures.js';

/**
 * Tolerance against PIL on photos: at most 1 level anywhere and at least 99% of values exact
 * (a JPEG decoder other than PIL's could shift a level). The implementation is in fact bit-exact
 * here; formula images involve no decoder, so for them exactness itself is asserted.
 */
const MAX_LEVELS = 1;
const MIN_EXACT = 0.99;

async function preprocessed(image: tf.Tensor3D, options?: { resizeTo?: number; cropTo?: number }) {
  const output = resizeAndCenterCrop(image, options);
  const values = await output.data();
  output.dispose();
  return values;
}

function expectWithinTolerance(diff: Difference) {
  expect(diff.max).toBeLessThanOrEqual(MAX_LEVELS);
  expect(diff.exactFraction).toBeGreaterThanOrEqual(MIN_EXACT);
}

/** torchvision-geometry crop of TF.js's own bilinear resize, which does not antialias. */
function plainBilinear(image: tf.Tensor3D): tf.Tensor3D {
  const [height, width] = image.shape;
  const g = torchvisionResizeGeometry(width, height);
  return tf.tidy(() => {
    const resized = tf.image.resizeBilinear(image, [g.resizedHeight, g.resizedWidth], false, true);
    return tf.round(tf.slice(resized, [g.cropTop, g.cropLeft, 0], [g.cropSize, g.cropSize, 3]));
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resizeAndCenterCrop on the cpu backend matches torchvision + PIL', () => {
  it.each(fixtureIndex.photos.map((photo) => [photo.name, photo] as const))('%s', async (_, photo) => {
    const image = await decodePhoto(photo.file);
    const diff = difference(await preprocessed(image), await expectedCrop(photo.expected));
    image.dispose();
    console.log(`${photo.name} (${photo.size.join('x')} ${photo.mode}): max ${diff.max}, mean ${diff.mean}, exact ${diff.exactFraction}`);
    expectWithinTolerance(diff);
  });

  it.each(fixtureIndex.synthetic.map((entry) => [entry.name, entry] as const))('%s, bit-exact', async (_, entry) => {
    const image = syntheticImage(...entry.size);
    const actual = await preprocessed(image, { resizeTo: entry.resize, cropTo: entry.crop });
    image.dispose();
    expect(difference(actual, await expectedCrop(entry.expected)).max).toBe(0);
  });

  it('accepts a single grey channel as PIL expands L to RGB', async () => {
    const grey = await decodePhoto('camera_gray.png', 'b-w');
    expect(grey.shape[2]).toBe(1);
    const diff = difference(await preprocessed(grey), await expectedCrop('camera_gray.png'));
    grey.dispose();
    expectWithinTolerance(diff);
  });

  it('is measurably closer to PIL than a plain (non-antialiased) bilinear resize', async () => {
    const image = await decodePhoto('astronaut.jpg');
    const expected = await expectedCrop('astronaut.png');
    const bilinear = plainBilinear(image);
    const plain = difference(await bilinear.data(), expected);
    const ours = difference(await preprocessed(image), expected);
    tf.dispose([image, bilinear]);
    console.log(`astronaut: plain bilinear mean ${plain.mean} max ${plain.max}; ours mean ${ours.mean}`);
    expect(plain.mean).toBeGreaterThan(0.5);
    expect(ours.mean).toBeLessThan(plain.mean / 10);
  });
});

describe('resizeAndCenterCrop bookkeeping', () => {
  it('leaves no tensors behind', async () => {
    const image = await decodePhoto('hubble_portrait.jpg');
    const before = tf.memory().numTensors;
    const output = resizeAndCenterCrop(image);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(output.shape).toEqual([299, 299, 3]);
    expect(output.dtype).toBe('float32');
    tf.dispose([output, image]);
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('in strips of rows (for images too big for one tensor) gives the same values, bit for bit, without leaks', async () => {
    for (const file of ['hubble_portrait.jpg', 'chelsea_rgba.png']) {
      const image = await decodePhoto(file);
      const [height, width, channels] = image.shape;
      const used = channels <= 2 ? 1 : 3;
      const before = tf.memory().numTensors;
      const strips = resizeRowsAndCenterCrop(width, height, {}, (first, count) => tf.slice(image, [first, 0, 0], [count, -1, used]), 37);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(Array.from(await strips.data())).toEqual(Array.from(await preprocessed(image)));
      tf.dispose([strips, image]);
    }
  });

  it('stacks a batch equal to the single-image results, without leaks', async () => {
    const images = await Promise.all(['coffee_small.png', 'chelsea_rgba.png'].map((file) => decodePhoto(file)));
    const before = tf.memory().numTensors;
    const batch = resizeAndCenterCropBatch(images);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(batch.shape).toEqual([2, 299, 299, 3]);
    const batchValues = await batch.data();
    const singles = await Promise.all(images.map((image) => preprocessed(image)));
    expect(Array.from(batchValues)).toEqual(singles.flatMap((values) => Array.from(values)));
    tf.dispose([batch, ...images]);
  });

  it('rejects images and options it cannot honour with RuntimeError codes', () => {
    const fiveChannels = tf.zeros([8, 8, 5]) as tf.Tensor3D;
    const rgb = tf.zeros([8, 8, 3]) as tf.Tensor3D;
    const rgb600 = tf.zeros([600, 600, 3]) as tf.Tensor3D;
    const empty = tf.zeros([0, 8, 3]) as tf.Tensor3D;
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return isInceptionError(error) ? error.code : 'not an InceptionError';
      }
      return 'no error';
    };
    expect(codeOf(() => resizeAndCenterCrop(fiveChannels))).toBe('E_INVALID_INPUT');
    expect(codeOf(() => resizeAndCenterCrop(rgb, { resizeTo: 200 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => resizeAndCenterCrop(empty))).toBe('E_EMPTY_IMAGE');
    // 600 → 2 needs 450-tap filters, beyond what float32 sums keep exact.
    expect(codeOf(() => resizeAndCenterCrop(rgb600, { resizeTo: 2, cropTo: 1 }))).toBe('E_IMAGE_TOO_LARGE');
    tf.dispose([fiveChannels, rgb, rgb600, empty]);
  });

  it('ships logits for every photo', () => {
    const [count, classes] = fixtureIndex.logits.shape;
    const bytes = readFileSync(`${PHOTOS_DIR}expected/${fixtureIndex.logits.file}`);
    expect(count).toBe(fixtureIndex.photos.length);
    expect(bytes.byteLength).toBe(count * classes * 4);
  });
});

describe('resizeAndCenterCrop on the wasm backend', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(['astronaut', 'chelsea_rgba'])('%s matches PIL with the same tolerance, without leaks', async (name) => {
    const photo = fixtureIndex.photos.find((entry) => entry.name === name);
    if (!photo) throw new Error(`no fixture ${name}`);
    const image = await decodePhoto(photo.file);
    const before = tf.memory().numTensors;
    const output = resizeAndCenterCrop(image);
    expect(tf.memory().numTensors).toBe(before + 1);
    const diff = difference(await output.data(), await expectedCrop(photo.expected));
    tf.dispose([output, image]);
    console.log(`wasm ${name}: max ${diff.max}, mean ${diff.mean}, exact ${diff.exactFraction}`);
    expectWithinTolerance(diff);
  });
});

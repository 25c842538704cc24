/** decodeImage as the first call of a Node script: no classifier loaded, no backend imported. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { decodeImage } from '../../src/node/index.js';
import { FIXTURES } from '../../tools/paths.js';

it('decodes before any backend is set, on TF.js CPU backend', async () => {
  expect(tf.engine().backendName ?? null).toBeNull();
  const pixels = await decodeImage(`${FIXTURES}/photos/astronaut.jpg`);
  expect(pixels.shape[2]).toBe(3);
  expect(tf.getBackend()).toBe('cpu');
  pixels.dispose();
});

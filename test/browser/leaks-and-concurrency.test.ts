/**
 * A classifier in steady use on WebGL: tf.memory() stays flat over many calls, failing ones
 * included, and concurrent calls each get their own image's result. Node covers 200 calls on
 * WASM; SwiftShader WebGL costs ~10 s per forward pass, so only one call in ten runs the model here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, photoLogits } from '../../tools/reference/photo-logits.js';
import { openSdkPage, photoUrl, SWIFTSHADER_TIMEOUT } from './sdk-page.js';

let session: HarnessSession;

beforeAll(async () => {
  session = await openSdkPage('webgl');
  await session.page.evaluate(async () => {
    await window.sdkFixtures.load('webgl', { backend: 'webgl', warmup: false, selfCheck: false });
    await window.sdkFixtures.load('raw', { backend: 'webgl', preprocess: 'none', warmup: false, selfCheck: false });
  });
});
afterAll(() => session?.close());

it('tf.memory().numTensors is unchanged after 50 calls, 45 of them failing at different stages', async () => {
  const { before, after, failures } = await session.page.evaluate(async (url) => {
    const { classifier } = window.sdkFixtures;
    const [webgl, raw] = [classifier('webgl'), classifier('raw')];
    const photo = await (await fetch(url)).blob();
    const empty = Object.assign(document.createElement('canvas'), { width: 0, height: 0 });
    const corrupt = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0x00])], { type: 'image/jpeg' });
    const matrix = window.tf.zeros([4, 4]);
    const disposed = window.tf.zeros([8, 8, 3]);
    disposed.dispose();
    const calls: (() => Promise<unknown>)[] = [
      () => webgl.classify(photo),
      // Fails on the second image, after the first was already turned into a tensor.
      () => webgl.classify([photo, {} as never]),
      // Fails inside preprocessing: not 299×299.
      () => raw.logits(photo),
      () => webgl.classify(empty),
      () => webgl.classify(corrupt),
      () => webgl.classify('/no/such/image.png'),
      () => webgl.features(photo, ['Mixed_9z']),
      () => webgl.classify(photo, { topK: 0 }),
      () => webgl.embed(matrix as never),
      () => webgl.embed(disposed as never),
    ];
    await webgl.classify(photo);
    const before = window.tf.memory().numTensors;
    let failures = 0;
    for (let round = 0; round < 5; round++) {
      for (const call of calls) await call().catch(() => failures++);
    }
    const after = window.tf.memory().numTensors;
    matrix.dispose();
    return { before, after, failures };
  }, photoUrl('coffee_small.png'));
  expect(failures).toBe(45);
  expect(after).toBe(before);
}, SWIFTSHADER_TIMEOUT);

it('concurrent calls on different images each return their own image’s result', async () => {
  const files = ['hubble_portrait.jpg', 'camera_gray.png', 'coffee_small.png'];
  const [first, second, third] = await session.page.evaluate(async (urls) => {
    const webgl = window.sdkFixtures.classifier('webgl');
    const [a = '', b = '', c = ''] = urls;
    const [logitsA, [top], logitsC] = await Promise.all([webgl.logits(a), webgl.classify(b, { topK: 1 }), webgl.logits(c)]);
    return [Array.from(logitsA), top?.index, Array.from(logitsC)] as const;
  }, files.map(photoUrl));
  const [fileA = '', fileB = '', fileC = ''] = files;
  expect(maxAbsDiff(first, photoLogits(fileA))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
  expect(second).toBe(topK(photoLogits(fileB), 1)[0]);
  expect(maxAbsDiff(third, photoLogits(fileC))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
}, SWIFTSHADER_TIMEOUT);

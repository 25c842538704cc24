/**
 * One answer per file: every input kind, on the main thread and through loadWorkerClassifier, on
 * WASM (Chromium without a GPU) and WebGL, gives PyTorch's logits for the file's own pixels. The
 * photos are the hard cases: a JPEG with an embedded wide-gamut ICC profile (which PIL ignores and
 * a browser's <img> applies) and a PNG with varying alpha; the <img> is shown 120 px wide by CSS.
 *
 * WASM computes the logits of every case. SwiftShader WebGL takes ~10 s per forward pass, so there
 * each case compares the pixels the SDK reads with those of the file itself, and a few cases
 * (the worker's snapshot of an <img>) compute their logits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, PHOTO_TOLERANCE, photoLogits } from '../../tools/reference/photo-logits.js';
import { INPUT_KINDS, type InputKind } from './harness/input-kinds.js';
import { openSdkPage, photoUrl, SWIFTSHADER_TIMEOUT } from './sdk-page.js';

const ICC_JPEG = 'chelsea_adobergb.jpg';
const RGBA_PNG = 'chelsea_rgba.png';
const CASES = [ICC_JPEG, RGBA_PNG].flatMap((file) => INPUT_KINDS.map((kind) => [kind, file] as const));

/**
 * A canvas stores colour premultiplied by alpha, by the browser's design, and a video of a canvas
 * inherits that: a semi-transparent picture drawn there has lost precision before the SDK sees it.
 * Those get the requirement's tolerance; every other kind must be exact.
 */
const PREMULTIPLIED_BY_THE_BROWSER: readonly InputKind[] = ['HTMLCanvasElement', 'OffscreenCanvas', 'HTMLVideoElement'];
const keepsFilePixels = (kind: InputKind, file: string): boolean => file !== RGBA_PNG || !PREMULTIPLIED_BY_THE_BROWSER.includes(kind);
const toleranceFor = (kind: InputKind, file: string): number => (keepsFilePixels(kind, file) ? PHOTO_EXACT_TOLERANCE : PHOTO_TOLERANCE);

function expectPyTorchLogits(logits: number[], kind: InputKind, file: string): void {
  const diff = maxAbsDiff(logits, photoLogits(file));
  expect(diff, `${kind} of ${file}: max |Δlogit| ${diff}`).toBeLessThanOrEqual(toleranceFor(kind, file));
  expect(topK(logits, 1)).toEqual(topK(photoLogits(file), 1));
}

describe('WASM in Chromium without a GPU', () => {
  let session: HarnessSession;

  beforeAll(async () => {
    session = await openSdkPage('wasm-only');
    await session.page.evaluate(async () => {
      await window.sdkFixtures.load('main', { backend: 'wasm', warmup: false });
      await window.sdkFixtures.loadWorker('worker', { backend: 'wasm', warmup: false });
    });
  });
  afterAll(() => session?.close());

  describe.each(['main', 'worker'])('%s thread', (thread) => {
    it.each(CASES)('%s of %s matches PyTorch', async (kind, file) => {
      const logits = await session.page.evaluate(([name, kind, url]) => window.sdkFixtures.logitsOf(name, kind, url), [thread, kind, photoUrl(file)] as const);
      expectPyTorchLogits(logits, kind, file);
    });
  });
});

describe('WebGL (SwiftShader)', () => {
  let session: HarnessSession;

  beforeAll(async () => {
    session = await openSdkPage('webgl');
    await session.page.evaluate(async () => {
      await window.sdkFixtures.load('main', { backend: 'webgl', warmup: false, selfCheck: false });
      await window.sdkFixtures.loadWorker('worker', { backend: 'webgl', warmup: false, selfCheck: false });
    });
  }, SWIFTSHADER_TIMEOUT);
  afterAll(() => session?.close());

  it.each(CASES)('%s of %s: the SDK reads the file\'s pixels at their natural size', async (kind, file) => {
    const read = await session.page.evaluate(([kind, url]) => window.sdkFixtures.pixelDiff(kind, url), [kind, photoUrl(file)] as const);
    expect(read.shape).toEqual(read.fileShape);
    if (keepsFilePixels(kind, file)) expect(read.maxDiff).toBe(0);
  });

  it.each([ICC_JPEG, RGBA_PNG])('a CSS-sized <img> of %s through the worker matches PyTorch', async (file) => {
    const logits = await session.page.evaluate((url) => window.sdkFixtures.logitsOf('worker', 'HTMLImageElement', url), photoUrl(file));
    expectPyTorchLogits(logits, 'HTMLImageElement', file);
  }, SWIFTSHADER_TIMEOUT);

  it(`a CSS-sized <img> of ${ICC_JPEG} on the main thread matches PyTorch`, async () => {
    const logits = await session.page.evaluate((url) => window.sdkFixtures.logitsOf('main', 'HTMLImageElement', url), photoUrl(ICC_JPEG));
    expectPyTorchLogits(logits, 'HTMLImageElement', ICC_JPEG);
  }, SWIFTSHADER_TIMEOUT);
});

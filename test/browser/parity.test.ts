/**
 * The SDK in a real browser against PyTorch, per backend: seedA fed unchanged (preprocess: 'none')
 * matches PyTorch's logits to 1e-4, and real photos through the SDK's own decoding and
 * preprocessing match PyTorch's PIL pipeline to 1e-4 (the requirement is 0.02). WebGPU is in
 * webgpu.slow.test.ts; every input kind is in input-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_FILES, PHOTO_EXACT_TOLERANCE, photoLogits } from '../../tools/reference/photo-logits.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { openSdkPage, photoUrl, SEED_A_TOLERANCE, SWIFTSHADER_TIMEOUT } from './sdk-page.js';

// WebGL here is SwiftShader, which computes in fp32 like WASM, so both get the fp32 tolerance
// (measured max |Δ| on seedA: 1.9e-5 WebGL, 2.3e-5 WASM). A phone GPU with fp16 textures would
// need a looser one. Photos measured ≤ 2.3e-5 on both, the RGBA PNG included.
// SwiftShader WebGL takes ~10 s per image, so it gets one photo of each kind: JPEG, grey PNG, RGBA PNG.
const BACKENDS = [
  { backend: 'webgl', mode: 'webgl', photos: ['astronaut.jpg', 'camera_gray.png', 'chelsea_rgba.png'], timeout: SWIFTSHADER_TIMEOUT },
  { backend: 'wasm', mode: 'wasm-only', photos: PHOTO_FILES, timeout: 120_000 },
] as const;

describe.each(BACKENDS)('$backend', ({ backend, mode, photos, timeout }) => {
  let session: HarnessSession;

  beforeAll(async () => {
    session = await openSdkPage(mode);
    // No warm-up: the first case compiles what it needs anyway.
    await session.page.evaluate(async (backend) => {
      await window.sdkFixtures.load('raw', { backend, preprocess: 'none', warmup: false });
      await window.sdkFixtures.load('photos', { backend, warmup: false });
    }, backend);
  });
  afterAll(() => session?.close());

  it(`seedA with preprocess: 'none' matches PyTorch to ${SEED_A_TOLERANCE}`, async () => {
    const [row = []] = await session.page.evaluate(async () => window.sdkFixtures.logits('raw', [await window.sdkFixtures.seedA(0)]));
    expect(maxAbsDiff(row, seedALogits(0))).toBeLessThanOrEqual(SEED_A_TOLERANCE);
  }, timeout);

  it(`real photos (URL strings, one batch) match PyTorch's PIL pipeline to ${PHOTO_EXACT_TOLERANCE}`, async () => {
    const rows = await session.page.evaluate((urls) => window.sdkFixtures.logits('photos', urls), photos.map(photoUrl));
    expect(rows).toHaveLength(photos.length);
    photos.forEach((file, i) => {
      const row = rows[i] ?? [];
      expect(maxAbsDiff(row, photoLogits(file)), file).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
      expect(topK(row, 1), file).toEqual(topK(photoLogits(file), 1));
    });
  }, timeout);
});

/**
 * SLOW: WebGPU on SwiftShader, Chromium's CPU implementation, takes one to two minutes per
 * Inception forward pass on two cores. So this file loads once and runs two forward passes: the
 * PyTorch parity check and the one after a device loss. It still runs in CI.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import type { LoadSummary } from './harness/sdk-fixtures.js';
import { openSdkPage, SEED_A_TOLERANCE, SWIFTSHADER_TIMEOUT } from './sdk-page.js';

let session: HarnessSession;
let loaded: LoadSummary;

beforeAll(async () => {
  session = await openSdkPage('webgpu');
  // No warm-up: it would cost one more forward pass. Our conv kernels on every conv, untimed
  // ('tuned' would run the model once more to record its shapes, then time them).
  loaded = await session.page.evaluate(() => window.sdkFixtures.load('raw', { backend: 'webgpu', preprocess: 'none', warmup: false, selfCheck: false, webgpuKernels: 'ours' }));
}, SWIFTSHADER_TIMEOUT);
afterAll(() => session?.close());

it("an explicit backend: 'webgpu' runs on SwiftShader's adapter, with our conv kernels", () => {
  expect(loaded.backendReport).toEqual({ backend: 'webgpu', skipped: [], notes: [], choice: 'explicit', extraInferences: 0, webgpuPlan: expect.objectContaining({ kernels: 'ours', source: 'none' }) });
  expect(loaded.backendReport.webgpuPlan?.adapter).toMatch(/swiftshader/i);
});


// SwiftShader's WebGPU computes in fp32: measured max |Δ| 1.7e-5 with TF.js's kernels.
it(`seedA with preprocess: 'none' matches PyTorch to ${SEED_A_TOLERANCE}`, async () => {
  const [row = []] = await session.page.evaluate(async () => window.sdkFixtures.logits('raw', [await window.sdkFixtures.seedA(0)]));
  expect(maxAbsDiff(row, seedALogits(0))).toBeLessThanOrEqual(SEED_A_TOLERANCE);
}, SWIFTSHADER_TIMEOUT);

// "The same result as before the loss" is checked against PyTorch, which the result before the
// loss matched above, so that this case does not depend on that one having run.
it('after GPUDevice.destroy() the next call runs on a new device and still matches PyTorch', async () => {
  const after = await session.page.evaluate(async () => {
    const backendOf = () => window.tf.backend() as unknown as { device: GPUDevice };
    const lost = backendOf().device;
    lost.destroy();
    await lost.lost;
    const [logits = []] = await window.sdkFixtures.logits('raw', [await window.sdkFixtures.seedA(0)]);
    return { logits, backend: window.sdkFixtures.classifier('raw').backend, newDevice: backendOf().device !== lost };
  });
  expect(after.backend).toBe('webgpu');
  expect(after.newDevice).toBe(true);
  expect(maxAbsDiff(after.logits, seedALogits(0))).toBeLessThanOrEqual(SEED_A_TOLERANCE);
}, SWIFTSHADER_TIMEOUT);

// Last: loading on WASM makes WASM TF.js's active backend for the whole page.
it('auto ranks SwiftShader WebGPU and WebGL below WASM, saying why', async () => {
  const { backendReport } = await session.page.evaluate(() => window.sdkFixtures.load('auto', { warmup: false }));
  expect(backendReport.backend).toBe('wasm');
  expect(backendReport.skipped).toEqual([
    { backend: 'webgpu', reason: expect.stringMatching(/^software renderer swiftshader: slower than WASM$/i) },
    { backend: 'webgl', reason: expect.stringMatching(/^software renderer swiftshader: slower than WASM$/i) },
  ]);
});

/**
 * 'auto' with a deliberately broken backend lands on one that computes right: Node's wasm with a
 * kernel 1% off fails its self-check, and the load goes on to the CPU backend, which passes.
 * Slow: one Inception pass on TF.js's pure-JS CPU backend takes about 15 s here.
 */
import { afterAll, expect, it } from 'vitest';
import { loadClassifier } from '../../src/node/index.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { breakWasmKernel } from './broken-kernel.js';

const restore = await breakWasmKernel();
afterAll(() => restore());

it("'auto' skips the broken wasm backend with its drift and lands on cpu, whose answers pass", { timeout: 180_000 }, async () => {
  const classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), backend: 'auto' });
  const report = classifier.backendReport;
  expect(report.backend).toBe('cpu');
  expect(report.skipped).toContainEqual({ backend: 'wasm', reason: expect.stringMatching(/^wasm: self-check drift 0\.\d+ beyond the tolerance 0\.001$/) });
  expect(report.selfCheck).toMatchObject({ status: 'passed', cached: false });
  expect(report.selfCheck?.drift).toBeLessThan(1e-4);
  classifier.dispose();
});

/**
 * The self-check on a real backend: Node's WASM, right and deliberately broken (one kernel of a
 * test build made to compute 1% off). A broken explicit backend is refused with the drift; the
 * 'auto' case, which then falls to the slow CPU backend, is in self-check-auto.slow.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { driftMessage, judgeProbe } from '../../src/backends/self-check.js';
import { loadClassifier } from '../../src/node/index.js';
import type { SelfCheckReference } from '../../shared/model-metadata.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { breakWasmKernel } from './broken-kernel.js';

const reference: SelfCheckReference = { probe: 'probe-v1', logits: [1, -2], embedding: { indices: [3], values: [0.5] }, tolerance: 1e-3, computedWith: 'test' };
const embedding = (at3: number) => Float32Array.of(0, 0, 0, at3);

describe('judgeProbe', () => {
  it('passes within the tolerance and reports the largest drift over logits and embedding', () => {
    const outcome = judgeProbe(reference, { logits: Float32Array.of(1.0004, -2), embedding: embedding(0.5009) });
    expect(outcome.status).toBe('passed');
    expect(outcome.drift).toBeCloseTo(0.0009, 6);
  });

  it('fails beyond it, on the embedding alone too', () => {
    expect(judgeProbe(reference, { logits: Float32Array.of(1, -2), embedding: embedding(0.52) })).toMatchObject({ status: 'failed', tolerance: 1e-3 });
  });

  it('fails on NaN, which no comparison catches by itself', () => {
    const outcome = judgeProbe(reference, { logits: Float32Array.of(Number.NaN, -2), embedding: embedding(0.5) });
    expect(outcome).toMatchObject({ status: 'failed', drift: Number.POSITIVE_INFINITY });
    expect(driftMessage('wasm', outcome)).toBe('wasm: self-check drift Infinity beyond the tolerance 0.001');
  });

  it('judges at another tolerance when given one (f16 kernels: the float16 bound)', () => {
    const values = { logits: Float32Array.of(1.02, -2), embedding: embedding(0.5) };
    expect(judgeProbe(reference, values)).toMatchObject({ status: 'failed', tolerance: 1e-3 });
    expect(judgeProbe(reference, values, 0.05)).toMatchObject({ status: 'passed', tolerance: 0.05 });
  });

  it('is unavailable for a model without golden outputs', () => {
    expect(judgeProbe(undefined, { embedding: embedding(0) })).toEqual({ status: 'unavailable', cached: false });
  });
});

describe('the self-check on Node’s wasm backend', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('passes on the real kernels, as the warm-up, with no extra inference', async () => {
    const classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), backend: 'wasm' });
    expect(classifier.backendReport).toMatchObject({ backend: 'wasm', choice: 'explicit', extraInferences: 0, selfCheck: { status: 'passed', tolerance: 1e-3 } });
    expect(classifier.backendReport.selfCheck?.drift).toBeLessThan(1e-4);
    classifier.dispose();
  });

  it('refuses a broken kernel with E_SELF_CHECK_FAILED naming the drift', async () => {
    restore = await breakWasmKernel();
    const load = loadClassifier({ modelUrl: await syntheticModelDir('float32'), backend: 'wasm' });
    await expect(load).rejects.toMatchObject({ code: 'E_SELF_CHECK_FAILED', message: expect.stringMatching(/^wasm: self-check drift 0\.\d+ beyond the tolerance 0\.001: backend 'wasm' computes wrong answers/) });
  });

  it('uses the broken backend anyway with acceptSelfCheckDrift, saying so', async () => {
    restore = await breakWasmKernel();
    const classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), backend: 'wasm', acceptSelfCheckDrift: true });
    expect(classifier.backendReport.selfCheck?.status).toBe('failed');
    expect(classifier.backendReport.notes).toEqual([expect.stringMatching(/^wasm: self-check drift .* \(accepted: acceptSelfCheckDrift\)$/)]);
    classifier.dispose();
  });

  it('selfCheck: false skips it', async () => {
    restore = await breakWasmKernel();
    const classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), backend: 'wasm', selfCheck: false });
    expect(classifier.backendReport.selfCheck).toBeUndefined();
    classifier.dispose();
  });
});

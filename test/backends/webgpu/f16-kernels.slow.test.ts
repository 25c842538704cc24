/**
 * Our f16 conv kernels (webgpuShaderF16) on Dawn over lavapipe, which offers 'shader-f16': per
 * conv shape against our f32 kernel, then the whole model against PyTorch behind the self-check,
 * and with an f16 path made to compute wrong, which the self-check must drop.
 */
import { describe, expect, it } from 'vitest';
import type { WebGpuPlan } from '../../../src/backends/webgpu/tuned-kernels.js';
import type { SelfCheckOutcome } from '../../../src/backends/self-check.js';
import { SELF_CHECK_TOLERANCE } from '../../../shared/model-metadata.js';
import { syntheticModelDir } from '../../../tools/models/synthetic-model.js';
import { runOnLavapipe } from './lavapipe-script.js';

/**
 * Allowed |f16 − f32| relative to the largest |f32| of the case: measured ≤ 1.7e-3 (8×8×2048 → 448
 * and 1×7 on 17×17×128), from rounding operands to 11 bits and 64-channel f16 partial sums.
 */
const RELATIVE_TOLERANCE = 4e-3;
/** Below this the "f16" kernel summed in f32 after all: f32 kernels agree exactly here. */
const SURELY_HALF = 1e-5;
/** fp32 kernels vs PyTorch (as seed-a-kernels.slow.test.ts); f16 ones get the float16 bound (measured 0.014). */
const F32_VS_PYTORCH = 1e-4;

interface ParityRun {
  readonly case: string;
  readonly choice: string;
  readonly maxAbsDiff: number;
  readonly maxAbs: number;
  readonly leaked: number;
}

interface ModelRun {
  readonly plan: WebGpuPlan;
  readonly selfCheck: SelfCheckOutcome;
  readonly unplanned: string;
  /** f16 shaders the run built: some were timed (tuned) or ran (ours). */
  readonly f16Shaders: number;
  readonly vsPyTorch: number;
}

describe('f16 conv kernels on lavapipe', () => {
  it(`match our f32 kernel within ${RELATIVE_TOLERANCE} × the output's scale on each conv shape, with no leaked tensors`, async () => {
    const runs = (await runOnLavapipe('f16-parity.ts')) as ParityRun[];
    expect(new Set(runs.map((run) => run.case)).size).toBe(6);
    expect(runs.filter((run) => run.choice.includes(' k')).length).toBeGreaterThanOrEqual(3);
    for (const run of runs) {
      expect(run.choice, run.case).toMatch(/ f16$/);
      expect(run.maxAbs, `${run.case}: the f32 output is all zeros, which proves nothing`).toBeGreaterThan(0.5);
      expect(run.maxAbsDiff, `${run.case}, ${run.choice}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE * run.maxAbs);
      expect(run.maxAbsDiff, `${run.case}, ${run.choice}: no half-precision rounding at all`).toBeGreaterThan(SURELY_HALF * run.maxAbs);
      expect(run.leaked, `${run.case}, ${run.choice}`).toBe(0);
    }
  }, 900_000);

  it(`run the whole model within the float16 bound of PyTorch, passing the self-check at ${SELF_CHECK_TOLERANCE.float16}`, async () => {
    const [run] = (await runOnLavapipe('f16-model.ts', [await syntheticModelDir('float32')])) as [ModelRun];
    expect(run.plan.shaderF16).toEqual({ status: 'used' });
    expect(run.unplanned).toBe('f16');
    expect(run.f16Shaders).toBeGreaterThan(0);
    expect(run.selfCheck).toMatchObject({ status: 'passed', tolerance: SELF_CHECK_TOLERANCE.float16 });
    expect(run.vsPyTorch).toBeLessThanOrEqual(SELF_CHECK_TOLERANCE.float16);
    // Not f32 in disguise: f32 kernels are within 1.6e-5 of PyTorch.
    expect(run.vsPyTorch).toBeGreaterThan(F32_VS_PYTORCH);
  }, 900_000);

  it('are dropped when they drift beyond that bound, and the f32 kernels pass at the model’s own tolerance', async () => {
    const [run] = (await runOnLavapipe('f16-model.ts', [await syntheticModelDir('float32'), 'drift'])) as [ModelRun];
    expect(run.plan.shaderF16).toEqual({ status: 'dropped', reason: expect.stringMatching(/^webgpu: self-check drift .* beyond the tolerance 0\.05 on the f16 kernels$/) });
    expect(run.unplanned).toBe('f32');
    expect(run.selfCheck).toMatchObject({ status: 'passed', tolerance: SELF_CHECK_TOLERANCE.float32 });
    expect(run.vsPyTorch).toBeLessThanOrEqual(F32_VS_PYTORCH);
  }, 900_000);

  it('are timed by the autotuner, kept only where faster (never on lavapipe), and judged at the bound of what runs', async () => {
    const [run] = (await runOnLavapipe('f16-model.ts', [await syntheticModelDir('float32'), 'tuned'])) as [ModelRun];
    expect(run.plan).toMatchObject({ kernels: 'tuned', source: 'tuned' });
    expect(Object.keys(run.plan.choices).length).toBeGreaterThan(0);
    // Timed (the costliest shape first), and measured 1.8–3.3× slower than f32 per conv on lavapipe (docs/benchmarks.md).
    expect(run.f16Shaders).toBeGreaterThan(0);
    expect(run.plan.shaderF16).toEqual({ status: 'unused' });
    expect(Object.values(run.plan.choices).filter((name) => name.endsWith(' f16'))).toEqual([]);
    expect(run.selfCheck).toMatchObject({ status: 'passed', tolerance: SELF_CHECK_TOLERANCE.float32 });
    expect(run.vsPyTorch).toBeLessThanOrEqual(F32_VS_PYTORCH);
  }, 900_000);
});

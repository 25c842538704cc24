/**
 * Our WebGPU conv kernel against TF.js's stock one on Dawn over lavapipe, for every configuration
 * the autotuner may pick and a few forced ones, on edge cases: stride 2, VALID/SAME with odd
 * sizes, 1×7/7×1, 3 and 5 input channels, 6 and 66 output channels, uneven split-K slices,
 * batch 2, plain Conv2D. Without split-K ours sums in stock's order (measured: identical); split-K
 * adds slices in another order, measured ≤ 1.8e-6 × the output's largest value.
 */
import { describe, expect, it } from 'vitest';
import { runOnLavapipe } from './lavapipe-script.js';

/** Allowed |ours − stock| relative to the largest |stock| of the case. */
const RELATIVE_TOLERANCE = 1e-5;

interface Run {
  readonly case: string;
  readonly choice: string;
  readonly maxAbsDiff: number;
  readonly maxAbs: number;
  readonly leaked: number;
}

describe('our implicit-GEMM conv on lavapipe', () => {
  it(`matches TF.js's stock kernel within ${RELATIVE_TOLERANCE} × the output's scale, with no leaked tensors`, async () => {
    const runs = (await runOnLavapipe('conv-parity.ts')) as Run[];
    expect(new Set(runs.map((run) => run.case)).size).toBe(9);
    expect(runs.filter((run) => run.choice.includes(' k')).length).toBeGreaterThanOrEqual(6);
    for (const run of runs) {
      expect(run.maxAbs, `${run.case}: the stock output is all zeros, which proves nothing`).toBeGreaterThan(0.5);
      expect(run.maxAbsDiff, `${run.case}, ${run.choice}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE * run.maxAbs);
      expect(run.leaked, `${run.case}, ${run.choice}`).toBe(0);
    }
  }, 900_000);
});

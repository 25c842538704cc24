/**
 * Our WebGPU channel-parts kernel on Dawn over lavapipe: each part kind against TF.js's own ops
 * on ranges from the middle of a wider tensor, and the fused model's rewritten graph against its
 * plain graph (same kernels on every conv; measured: logits within 1e-5, 132 → 88 dispatches).
 */
import { describe, expect, it } from 'vitest';
import { syntheticFusedModelDir } from '../../../tools/models/synthetic-model.js';
import { runOnLavapipe } from './lavapipe-script.js';

/** The rewritten graph pools before its pool branches' convs, not after: sums in another order. */
const LOGIT_TOLERANCE = 1e-4;

/** Allowed |kernel − ops| relative to the case's largest |ops| value (split-K sums in another order). */
const RELATIVE_TOLERANCE = 1e-5;

interface PartCase {
  readonly case: string;
  readonly shape: number[];
  readonly wantShape: number[];
  readonly maxAbsDiff: number;
  readonly maxAbs: number;
  readonly leaked: number;
}

interface ModelRun {
  readonly model: string;
  readonly plainDispatches: number;
  readonly partsDispatches: number;
  readonly logitGap: number;
}

describe('channel parts on lavapipe', () => {
  it('match TF.js ops for every part kind, and cut the fused model from 132 to 88 dispatches with the same logits', async () => {
    const lines = await runOnLavapipe('channel-parts.ts', [await syntheticFusedModelDir()]);
    const cases = lines.filter((line): line is PartCase => 'case' in (line as object));
    expect(cases).toHaveLength(10);
    for (const c of cases) {
      expect(c.shape, c.case).toEqual(c.wantShape);
      expect(c.maxAbs, `${c.case}: all zeros proves nothing`).toBeGreaterThan(0.1);
      expect(c.maxAbsDiff, c.case).toBeLessThanOrEqual(RELATIVE_TOLERANCE * c.maxAbs);
      expect(c.leaked, c.case).toBe(0);
    }
    const [run] = lines.filter((line): line is ModelRun => 'model' in (line as object));
    // Plain, with our one-program Mean: 132. Rewritten: 88 (the target, ≤ 80, is not met:
    // docs/benchmarks.md says what is left).
    expect(run?.plainDispatches).toBe(132);
    expect(run?.partsDispatches).toBe(88);
    expect(run?.logitGap).toBeLessThanOrEqual(LOGIT_TOLERANCE);
  }, 600_000);
});

/**
 * Our WebGPU channel-parts kernel on Dawn over lavapipe: each part kind against TF.js's own ops
 * on ranges from the middle of a wider tensor, and the fused model's rewritten graph against its
 * plain graph (same kernels on every conv; measured: identical logits, 133 → 93 dispatches).
 */
import { describe, expect, it } from 'vitest';
import { syntheticFusedModelDir } from '../../../tools/models/synthetic-model.js';
import { runOnLavapipe } from './lavapipe-script.js';

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
  it('match TF.js ops for every part kind, and cut the fused model to 93 dispatches with the same logits', async () => {
    const lines = await runOnLavapipe('channel-parts.ts', [await syntheticFusedModelDir()]);
    const cases = lines.filter((line): line is PartCase => 'case' in (line as object));
    expect(cases).toHaveLength(6);
    for (const c of cases) {
      expect(c.shape, c.case).toEqual(c.wantShape);
      expect(c.maxAbs, `${c.case}: all zeros proves nothing`).toBeGreaterThan(0.1);
      expect(c.maxAbsDiff, c.case).toBeLessThanOrEqual(RELATIVE_TOLERANCE * c.maxAbs);
      expect(c.leaked, c.case).toBe(0);
    }
    const [run] = lines.filter((line): line is ModelRun => 'model' in (line as object));
    expect(run?.plainDispatches).toBe(133);
    expect(run?.partsDispatches).toBeLessThanOrEqual(93);
    expect(run?.logitGap).toBeLessThanOrEqual(1e-5);
  }, 600_000);
});

/**
 * Our WebGPU channel-parts kernel on Dawn over lavapipe: each part kind against TF.js's own ops
 * on ranges from the middle of a wider tensor, and both models' rewritten graphs against their
 * plain graphs (same kernels on every conv; measured: logits equal, default 122 → 79 dispatches,
 * fused 132 → 79).
 */
import { describe, expect, it } from 'vitest';
import { syntheticFusedModelDir, syntheticModelDir } from '../../../tools/models/synthetic-model.js';
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
  it('match TF.js ops for every part kind, and cut both models to 79 dispatches with the same logits', async () => {
    const lines = await runOnLavapipe('channel-parts.ts', [await syntheticModelDir('float32'), await syntheticFusedModelDir()]);
    const cases = lines.filter((line): line is PartCase => 'case' in (line as object));
    expect(cases).toHaveLength(10);
    for (const c of cases) {
      expect(c.shape, c.case).toEqual(c.wantShape);
      expect(c.maxAbs, `${c.case}: all zeros proves nothing`).toBeGreaterThan(0.1);
      expect(c.maxAbsDiff, c.case).toBeLessThanOrEqual(RELATIVE_TOLERANCE * c.maxAbs);
      expect(c.leaked, c.case).toBe(0);
    }
    const runs = lines.filter((line): line is ModelRun => 'model' in (line as object));
    // Plain, with our one-program Mean: 122 and 132. Rewritten: 79 for both (the target is
    // ≤ 80): the default graph's sibling 1×1 convs are fused at load, and each head's branch1x1
    // copy rides along its pool member's average.
    expect(runs.map(({ model, plainDispatches, partsDispatches }) => [model, plainDispatches, partsDispatches])).toEqual([
      ['default', 122, 79],
      ['fused', 132, 79],
    ]);
    for (const run of runs) expect(run.logitGap, run.model).toBeLessThanOrEqual(LOGIT_TOLERANCE);
  }, 600_000);
});

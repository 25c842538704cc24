/**
 * The whole model on WebGPU (Dawn over lavapipe) with our conv kernels forced on every conv
 * ('ours'), against PyTorch on seedA; then a tuning run into a memory cache (a short budget:
 * lavapipe takes seconds per conv, so the plan is incomplete), a second load that tunes more of
 * the shapes left, and a third that must take a complete plan from the cache.
 */
import { describe, expect, it } from 'vitest';
import type { WebGpuPlan } from '../../../src/backends/webgpu/tuned-kernels.js';
import { syntheticModelDir } from '../../../tools/models/synthetic-model.js';
import { runOnLavapipe } from './lavapipe-script.js';

/** fp32 vs PyTorch, as for TF.js's own kernels (test/node/webgpu-lavapipe.test.ts); measured 1.6e-5. */
const SEED_A_TOLERANCE = 1e-4;

interface Report {
  readonly plan: WebGpuPlan;
  readonly oursVsPyTorch: number;
  readonly tunedVsPyTorch: number;
  readonly tuned: WebGpuPlan;
  readonly continued: WebGpuPlan;
  readonly cached: WebGpuPlan;
  readonly cacheKeys: string[];
}

describe('our WebGPU kernels on the whole model (lavapipe)', () => {
  it(`match PyTorch within ${SEED_A_TOLERANCE} on seedA, tune into the cache and reuse the plan`, async () => {
    const [report] = (await runOnLavapipe('seed-a-kernels.ts', [await syntheticModelDir('float32'), '4000'])) as [Report];
    expect(report.plan).toMatchObject({ kernels: 'ours', source: 'none' });
    expect(report.plan.adapter).toMatch(/llvmpipe/);
    expect(report.oursVsPyTorch).toBeLessThanOrEqual(SEED_A_TOLERANCE);
    expect(report.tunedVsPyTorch).toBeLessThanOrEqual(SEED_A_TOLERANCE);

    // 4 s reach a few of the 43 shapes; ours won them, so the shapes left run on ours meanwhile.
    expect(report.tuned).toMatchObject({ source: 'tuned', complete: false, untuned: 'ours' });
    expect(report.tuned.tuningMs).toBeGreaterThan(0);
    expect(Object.keys(report.tuned.choices).length).toBeGreaterThan(0);
    // The next load tunes only shapes left, keeping what the first timed.
    expect(report.continued).toMatchObject({ source: 'tuned', choices: expect.objectContaining(report.tuned.choices) });
    expect(Object.keys(report.continued.choices).length).toBeGreaterThan(Object.keys(report.tuned.choices).length);
    expect(report.cacheKeys).toEqual([expect.stringMatching(/^webgpu-plan:[0-9a-f]{64}:mesa\//)]);
    expect(report.cached).toMatchObject({ source: 'cache', tuningMs: 0, complete: true, choices: report.continued.choices });
  }, 900_000);
});

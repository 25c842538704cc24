/** The per-op profiler, on the real converted model (wasm), and its report. */
import { describe, expect, it } from 'vitest';
import { profileModel } from '../../bench/profile/op-profile.js';
import { machine } from '../../bench/machine.js';
import { profileReport } from '../../bench/report/profile-report.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { loadModelDir, useBackend } from '../../tools/models/tf-node.js';

describe('profileModel (wasm, synthetic model)', () => {
  it('counts each kernel once per inference and adds its time up per op', async () => {
    await useBackend('wasm');
    const model = await loadModelDir(await syntheticModelDir('float32'));
    const profile = await profileModel(model, { batch: 1, rounds: 2, output: 'logits' });
    const count = (op: string) => profile.ops.find((o) => o.op === op)?.count ?? 0;
    // The converted graph's convs, pool branches and concats, and no op wrappers (`fusedConv2d__op`).
    expect(count('FusedConv2D')).toBe(85);
    expect(count('Conv2D')).toBe(9);
    expect(count('FusedDepthwiseConv2D')).toBe(9);
    // 11 Mixed blocks; Mixed_7b/7c's inner concats are flattened into theirs.
    expect(count('Concat')).toBe(11);
    expect(profile.ops.some((o) => o.op.endsWith('__op'))).toBe(false);
    expect(profile.kernels).toBe(profile.ops.reduce((sum, o) => sum + o.count, 0));
    expect(profile.kernelMs).toBeCloseTo(profile.ops.reduce((sum, o) => sum + o.ms, 0), 6);
    // Sorted slowest first; the convs dominate on a CPU backend.
    expect(profile.ops[0]?.op).toBe('FusedConv2D');
    expect(profile.ops.map((o) => o.ms)).toEqual([...profile.ops.map((o) => o.ms)].sort((a, b) => b - a));
    expect(profile.slowest).toHaveLength(10);
    expect(profile.slowest[0]?.outputShape).toMatch(/^\[1,\d+,\d+,\d+\]$/);
    model.dispose();
  });
});

describe('profileReport', () => {
  it('gives each op its share of the kernel time', () => {
    const profile = {
      backend: 'webgpu',
      adapter: '{"vendor":"nvidia"}',
      batch: 32,
      rounds: 3,
      kernels: 3,
      kernelMs: 8,
      ops: [{ op: 'FusedConv2D', count: 2, ms: 6 }, { op: 'Concat', count: 1, ms: 2 }],
      slowest: [{ op: 'FusedConv2D', inputShapes: '[32,8,8,2048]', outputShape: '[32,8,8,320]', ms: 4 }],
    };
    const text = profileReport(machine(), [{ label: 'H100', profile }]);
    expect(text).toContain('### H100, batch 32');
    expect(text).toContain('3 kernels, 8.0 ms of kernel time per inference (median of 3 profiled inferences).');
    expect(text).toContain('| FusedConv2D | 2 | 6.0 ms | 75.0 % |');
    expect(text).toContain('| Concat | 1 | 2.0 ms | 25.0 % |');
    expect(text).toContain('Adapter: {"vendor":"nvidia"}');
  });
});

/** The GPU-free parts of our WebGPU conv kernels: shapes, candidates, dispatch sizes, the plan cache, f16 kernels. */
import { describe, expect, it } from 'vitest';
import { untunedKind } from '../../../src/backends/webgpu/autotune.js';
import { candidates, defaultConfig } from '../../../src/backends/webgpu/candidates.js';
import { shapeKey, type ConvShape } from '../../../src/backends/webgpu/conv-shape.js';
import { hoistEnableF16 } from '../../../src/backends/webgpu/f16-device.js';
import { WORKGROUP } from '../../../src/backends/webgpu/baked-program.js';
import { ENABLE_F16, ImplicitGemmProgram } from '../../../src/backends/webgpu/implicit-gemm-program.js';
import { choiceName, gemm, isF16, STOCK } from '../../../src/backends/webgpu/kernel-config.js';
import { adapterName, planCacheKey, readPlan, writePlan, type StoredPlan } from '../../../src/backends/webgpu/plan-cache.js';
import { f16Outcome, withoutF16 } from '../../../src/backends/webgpu/tuned-kernels.js';
import { shaderF16Setting } from '../../../src/infer/webgpu-plan.js';
import { resolveLoadOptions, type LoadOptions } from '../../../src/options.js';
import type { InceptionModelMetadata } from '../../../shared/model-metadata.js';
import { memoryModelCache } from '../../load/memory-model-cache.js';

function conv(size: number, inChannels: number, outChannels: number, filter = 1, batch = 1): ConvShape {
  return {
    batch,
    inHeight: size,
    inWidth: size,
    inChannels,
    outHeight: size,
    outWidth: size,
    outChannels,
    filterHeight: filter,
    filterWidth: filter,
    strideHeight: 1,
    strideWidth: 1,
    padTop: (filter - 1) / 2,
    padLeft: (filter - 1) / 2,
  };
}

describe('candidates', () => {
  it('always times stock TF.js first, so a tuned plan is never slower than stock', () => {
    for (const shape of [conv(147, 32, 64, 3), conv(17, 768, 192), conv(8, 2048, 448), conv(3, 5, 6, 3)]) {
      expect(choiceName(candidates(shape)[0]!)).toBe('stock');
    }
  });

  it('tries split-K only where few output pixels leave a GPU idle (8×8, 17×17 at batch 1)', () => {
    const names = (shape: ConvShape) => candidates(shape).map(choiceName);
    expect(names(conv(17, 768, 192))).toEqual(expect.arrayContaining(['gemm 4x1 k2', 'gemm 4x1 k4']));
    expect(names(conv(8, 1280, 320))).toContain('gemm 4x1 k4');
    expect(names(conv(35, 288, 64)).filter((name) => name.includes(' k'))).toEqual([]);
    // Slices of fewer than 64 input channels are not worth a second dispatch.
    expect(names(conv(8, 96, 64)).filter((name) => name.includes(' k'))).toEqual([]);
  });

  it('never blocks more rows than the conv has, nor more column vectors than channels', () => {
    // 2×2 output pixels, one vector of 4 channels.
    const gemms = candidates(conv(2, 64, 4)).filter((choice) => choice.kind === 'gemm');
    expect(gemms.length).toBeGreaterThan(0);
    for (const choice of gemms) {
      expect(choice.rows).toBeLessThanOrEqual(4);
      expect(choice.colVecs).toBe(1);
    }
    expect(defaultConfig(conv(8, 1280, 320))).toEqual(gemm(8, 1));
  });
});

describe('ImplicitGemmProgram', () => {
  it.each([
    [conv(35, 192, 64), gemm(4, 2)],
    [conv(17, 130, 66, 1, 2), gemm(8, 2, 3)],
    [conv(9, 5, 6, 3), gemm(3, 2)],
  ])('dispatches an invocation for every block of rows × column vectors × K slices (%#)', (shape, config) => {
    const program = new ImplicitGemmProgram(shape, config, { bias: true, activation: 'relu' });
    const lanes = shape.outChannels % 4 === 0 ? 4 : 1;
    const blocks = config.splitK * Math.ceil((shape.batch * shape.outHeight * shape.outWidth) / config.rows) * Math.ceil(shape.outChannels / lanes / config.colVecs);
    expect(program.dispatch[0] * WORKGROUP).toBeGreaterThanOrEqual(blocks);
    expect((program.dispatch[0] - 1) * WORKGROUP).toBeLessThan(blocks);
    // Split-K writes partial sums and leaves the bias to the reduce pass.
    expect(program.variableNames).toEqual(config.splitK > 1 ? ['x', 'W'] : ['x', 'W', 'bias']);
  });
});

describe('the plan cache', () => {
  const adapter = adapterName({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'H100' });
  const plan: StoredPlan = { version: 1, choices: { [shapeKey(conv(17, 768, 192))]: gemm(4, 1, 2) }, tuningMs: 812, complete: true };

  it('keys plans by model and adapter (vendor/architecture/device/description)', () => {
    expect(adapter).toBe('nvidia/hopper//H100');
    expect(planCacheKey(adapter, 'abc')).toBe('webgpu-plan:abc:nvidia/hopper//H100');
    expect(shapeKey(conv(17, 768, 192))).toBe('1x17x17x768>1x1x192/s1p0,0');
  });

  it('reads back what it wrote, and treats a damaged entry as no plan (tuned again)', async () => {
    const cache = memoryModelCache();
    expect(await writePlan(cache, 'k', plan)).toBe(true);
    expect(await readPlan(cache, 'k')).toEqual(plan);
    await cache.put('bad', new TextEncoder().encode('{"version":2}').buffer as ArrayBuffer);
    await cache.put('garbage', new TextEncoder().encode('not json').buffer as ArrayBuffer);
    expect(await readPlan(cache, 'bad')).toBeUndefined();
    expect(await readPlan(cache, 'garbage')).toBeUndefined();
    expect(await readPlan(cache, 'missing')).toBeUndefined();
  });
});

describe('f16 kernels (webgpuShaderF16)', () => {
  const shape = conv(17, 768, 192);

  it('are timed after every f32 candidate, as the same configurations in half precision', () => {
    const f32 = candidates(shape);
    const all = candidates(shape, true);
    expect(all.slice(0, f32.length)).toEqual(f32);
    expect(all.slice(f32.length)).toEqual(f32.filter((choice) => choice.kind === 'gemm').map((choice) => ({ ...choice, f16: true })));
    expect(f32.some(isF16)).toBe(false);
    expect(choiceName(gemm(4, 1, 2, true))).toBe('gemm 4x1 k2 f16');
    // An f32 configuration is stored as before f16 existed, so cached plans still read the same.
    expect(gemm(4, 2)).toEqual({ kind: 'gemm', rows: 4, colVecs: 2, splitK: 1 });
    expect(defaultConfig(shape, true)).toEqual(gemm(4, 2, 1, true));
  });

  it('declare f16 in their own shader (keyed apart), f32 ones never mention it', () => {
    for (const s of [shape, conv(9, 5, 6, 3)]) {
      const f32 = new ImplicitGemmProgram(s, gemm(4, 2), { bias: true, activation: 'relu' });
      const f16 = new ImplicitGemmProgram(s, gemm(4, 2, 1, true), { bias: true, activation: 'relu' });
      expect(f16.getUserCode().trimStart().startsWith(ENABLE_F16)).toBe(true);
      expect(f16.getUserCode()).toMatch(/f16>?\(/);
      expect(f32.getUserCode()).not.toContain('f16');
      expect(f16.shaderKey).not.toBe(f32.shaderKey);
    }
  });

  it("have 'enable f16;' moved above TF.js's shader header, and other shaders left alone", () => {
    const header = 'struct Uniforms { NAN : f32 };\n';
    const ours = new ImplicitGemmProgram(shape, gemm(4, 2, 1, true), { bias: true, activation: 'relu' }).getUserCode();
    const hoisted = hoistEnableF16(header + ours);
    expect(hoisted.startsWith(`${ENABLE_F16}\n${header}`)).toBe(true);
    expect(hoisted.split(ENABLE_F16)).toHaveLength(2);
    expect(hoistEnableF16(header)).toBe(header);
    expect(hoistEnableF16(hoisted)).toBe(hoisted);
  });

  it('are dropped by putting back the fastest f32 choice of each shape they won', () => {
    const [won, lost] = [shapeKey(shape), shapeKey(conv(35, 192, 64))];
    const tuned: StoredPlan = { version: 1, choices: { [won]: gemm(4, 2, 1, true), [lost]: gemm(8, 1) }, f32Choices: { [won]: gemm(4, 1, 4) }, tuningMs: 1, complete: true };
    expect(f16Outcome(tuned)).toEqual({ status: 'used' });
    const dropped = withoutF16(tuned, 'drift 0.2');
    expect(dropped.choices).toEqual({ [won]: gemm(4, 1, 4), [lost]: gemm(8, 1) });
    expect(f16Outcome(dropped)).toEqual({ status: 'dropped', reason: 'drift 0.2 (at an earlier load; the plan is cached so)' });
    expect(f16Outcome({ ...tuned, choices: { [lost]: gemm(8, 1) } })).toEqual({ status: 'unused' });
  });

  it('are tuned into a plan cached apart from the f32-only one', () => {
    expect(planCacheKey('a', 'sha', true)).toBe('webgpu-plan-f16:sha:a');
    expect(planCacheKey('a', 'sha')).toBe('webgpu-plan:sha:a');
  });

  it('run only where the self-check can guard them', () => {
    const metadata = { selfCheck: { tolerance: 1e-3 } } as unknown as InceptionModelMetadata;
    const options = (extra: Partial<LoadOptions>) => resolveLoadOptions({ modelUrl: 'm/model.json', ...extra });
    expect(shaderF16Setting(options({}), metadata)).toBe(false);
    expect(shaderF16Setting(options({ webgpuShaderF16: true }), metadata)).toBe(true);
    expect(shaderF16Setting(options({ webgpuShaderF16: true, selfCheck: false }), metadata)).toEqual({ unavailable: expect.stringContaining('selfCheck is false') });
    expect(shaderF16Setting(options({ webgpuShaderF16: true }), {} as InceptionModelMetadata)).toEqual({ unavailable: expect.stringContaining('no golden outputs') });
  });
});

describe('where shapes a tuning budget did not reach run', () => {
  const recorded = (shape: ConvShape) => ({ shape, pad: 'valid' as const });
  const big = conv(35, 288, 384, 3);
  const small = conv(8, 64, 32);
  const convs = new Map([big, small, conv(17, 768, 192)].map((shape) => [shapeKey(shape), recorded(shape)]));

  it('follows the kind that won most of the work timed', () => {
    expect(untunedKind({ [shapeKey(big)]: gemm(4, 2), [shapeKey(small)]: STOCK }, convs)).toBe('ours');
    expect(untunedKind({ [shapeKey(big)]: STOCK, [shapeKey(small)]: gemm(4, 2) }, convs)).toBe('stock');
  });

  it('stays on stock when nothing was timed', () => {
    expect(untunedKind({}, convs)).toBe('stock');
  });
});

/** The op profile's single-op models: shapes → stride/padding, and files LiteRT.js can read. */
import { describe, expect, it } from 'vitest';
import { singleOpSource, strideAndPadding } from '../../bench/profile/single-op-models.js';
import { convClass, groupBy, type ProfiledKernel } from '../../bench/report/litert-profile-report.js';
import { encodeTflite } from '../../converter/write/tflite/encode-tflite.js';
import { BUILTIN_OP } from '../../converter/write/tflite/tflite-schema.js';
import { readRoot } from '../helpers/flatbuffer-reader.js';

describe('strideAndPadding', () => {
  it('recovers Inception’s windows from the shapes tf.profile reports', () => {
    expect(strideAndPadding([1, 299, 299, 3], [1, 149, 149, 32], [3, 3])).toEqual({ stride: 2, padding: 'VALID' });
    expect(strideAndPadding([1, 147, 147, 32], [1, 147, 147, 64], [3, 3])).toEqual({ stride: 1, padding: 'SAME' });
    expect(strideAndPadding([1, 149, 149, 32], [1, 147, 147, 32], [3, 3])).toEqual({ stride: 1, padding: 'VALID' });
    expect(strideAndPadding([1, 17, 17, 128], [1, 17, 17, 128], [1, 7])).toEqual({ stride: 1, padding: 'SAME' });
    expect(() => strideAndPadding([1, 35, 35, 8], [1, 10, 10, 8], [3, 3])).toThrow(/no stride and padding/);
  });
});

describe('singleOpSource', () => {
  it('writes a stride-2 fused conv as one CONV_2D model with an [O, kh, kw, I] filter and the input as its only input', () => {
    const made = singleOpSource({ name: 'FusedConv2D', inputShapes: [[1, 35, 35, 288], [3, 3, 288, 384], [384], []], outputShape: [1, 17, 17, 384] });
    expect(made?.inputs).toEqual([{ name: 'x0', shape: [1, 35, 35, 288] }]);
    const { root } = readRoot(encodeTflite(made!.source));
    const [subgraph] = root.tables(2);
    const [op] = subgraph!.tables(3);
    expect(root.tables(1).map((c) => c.int32(3))).toEqual([BUILTIN_OP.CONV_2D]);
    expect(op?.table(4)?.int32(1)).toBe(2); // Conv2DOptions.stride_w
    expect(subgraph!.tables(0).map((t) => [t.string(3), t.int32s(0)])).toEqual([
      ['x0', [1, 35, 35, 288]],
      ['w', [384, 3, 3, 288]],
      ['b', [384]],
      ['op', [1, 17, 17, 384]],
    ]);
  });

  it('gives a concat every branch as an input, and skips kernels with no TFLite counterpart', () => {
    const concat = singleOpSource({ name: 'Concat', inputShapes: [[1, 8, 8, 320], [1, 8, 8, 768], [1, 8, 8, 768], [1, 8, 8, 192]], outputShape: [1, 8, 8, 2048] });
    expect(concat?.inputs.map((i) => i.name)).toEqual(['x0', 'x1', 'x2', 'x3']);
    expect(() => encodeTflite(concat!.source)).not.toThrow();
    expect(singleOpSource({ name: 'Reshape', inputShapes: [[1, 2048]], outputShape: [2048] })).toBeUndefined();
  });

  it('takes the fc from TF.js’s batched-matmul shapes [1, 1, 2048] × [1, 2048, 1000] as [1, 2048] × [2048, 1000]', () => {
    const fc = singleOpSource({ name: '_FusedMatMul', inputShapes: [[1, 1, 2048], [1, 2048, 1000], [1000]], outputShape: [1, 1, 1000] });
    expect(fc?.inputs).toEqual([{ name: 'x0', shape: [1, 2048] }]);
    const [subgraph] = readRoot(encodeTflite(fc!.source)).root.tables(2);
    expect(subgraph!.tables(0).map((t) => t.int32s(0))).toEqual([[1, 2048], [1000, 2048], [1000], [1, 1000]]);
  });
});

describe('profile report', () => {
  const conv = (kernel: number[], input: number[], output: number[], ms: number, litertMs: number | null, name = 'FusedConv2D'): ProfiledKernel => ({
    name,
    inputShapes: [input, kernel],
    outputShape: output,
    ms,
    litertMs,
  });

  it('classes convolutions by window and stride, and sums the gap per class, widest first', () => {
    const kernels = [
      conv([3, 3, 32, 32], [1, 149, 149, 32], [1, 147, 147, 32], 10, 6),
      conv([3, 3, 64, 64], [1, 35, 35, 64], [1, 17, 17, 64], 4, 3),
      conv([1, 1, 192, 64], [1, 35, 35, 192], [1, 35, 35, 64], 2, 1),
      conv([1, 1, 192, 64], [1, 35, 35, 192], [1, 35, 35, 64], 2, 1.5),
      conv([1, 1, 192, 32], [1, 35, 35, 192], [1, 35, 35, 32], 1, 0.5, 'Conv2D'),
      conv([1, 1, 8, 8], [1, 9, 9, 8], [1, 9, 9, 8], 1, null),
    ];
    expect(kernels.slice(0, 3).map(convClass)).toEqual(['3×3', '3×3 /2', '1×1']);
    expect(convClass(kernels[4] as ProfiledKernel)).toBe('pool-branch 1×1');
    expect(groupBy(kernels, convClass)).toEqual([
      { label: '3×3', calls: 1, ours: 10, litert: 6 },
      { label: '1×1', calls: 2, ours: 4, litert: 2.5 },
      { label: '3×3 /2', calls: 1, ours: 4, litert: 3 },
      { label: 'pool-branch 1×1', calls: 1, ours: 1, litert: 0.5 },
    ]);
  });
});

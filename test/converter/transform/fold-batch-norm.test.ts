/** Folding BatchNorm into the conv, checked against BN(conv(x)) computed the long way. */
import { describe, expect, it } from 'vitest';
import type { ConvSpec } from '../../../converter/model/inception-v3-spec.js';
import { BATCH_NORM_EPSILON } from '../../../converter/model/inception-v3-spec.js';
import { foldBatchNorm, transposeMatrix } from '../../../converter/transform/fold-batch-norm.js';

const spec: ConvSpec = { kind: 'conv', name: 'c', inChannels: 2, outChannels: 3, kernel: [1, 2], stride: 1, padding: 'VALID' };
/** OIHW [3, 2, 1, 2]: distinct values so a misplaced element shows. */
const weight = Float32Array.from({ length: 12 }, (_, i) => (i - 5) / 4);
const bn = {
  gamma: Float32Array.of(1, 2, 0.5),
  beta: Float32Array.of(0, -1, 0.25),
  mean: Float32Array.of(0.5, 0, -2),
  variance: Float32Array.of(1, 4, 0.25),
};

describe('foldBatchNorm', () => {
  it('kernel HWIO and bias reproduce BN(conv(x)) for one 1×2 patch (to 1e-6)', () => {
    const { kernel, kernelShape, bias } = foldBatchNorm(spec, weight, bn);
    expect(kernelShape).toEqual([1, 2, 2, 3]);
    const patch = [[0.3, -1.2], [2, 0.7]]; // [x][i]: two positions, two input channels
    for (let o = 0; o < 3; o++) {
      let conv = 0;
      let folded = bias[o]!;
      for (let i = 0; i < 2; i++) {
        for (let x = 0; x < 2; x++) {
          conv += weight[(o * 2 + i) * 2 + x]! * patch[x]![i]!;
          folded += kernel[(x * 2 + i) * 3 + o]! * patch[x]![i]!;
        }
      }
      const expected = (bn.gamma[o]! * (conv - bn.mean[o]!)) / Math.sqrt(bn.variance[o]! + BATCH_NORM_EPSILON) + bn.beta[o]!;
      expect(Math.abs(folded - expected)).toBeLessThan(1e-6);
    }
  });
});

describe('transposeMatrix', () => {
  it('turns [rows, cols] into [cols, rows]', () => {
    expect([...transposeMatrix(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

/** TF → TFLite weight layouts, checked element by element against index arithmetic. */
import { describe, expect, it } from 'vitest';
import { depthwiseTo1hwc, hwioToOhwi, transpose2d } from '../../../../converter/write/tflite/weight-layouts.js';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('weight layouts', () => {
  it('conv kernels: [kh, kw, in, out] → [out, kh, kw, in] (a 1×7 kernel, as in Mixed_6b)', () => {
    const [kh, kw, inC, outC] = [1, 7, 3, 5];
    const hwio = iota(kh * kw * inC * outC);
    const { values, shape } = hwioToOhwi(hwio, [kh, kw, inC, outC]);
    expect(shape).toEqual([outC, kh, kw, inC]);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < inC; i++)
          for (let o = 0; o < outC; o++) expect(values[((o * kh + y) * kw + x) * inC + i]).toBe(hwio[((y * kw + x) * inC + i) * outC + o]);
  });

  it('depthwise filters: [kh, kw, C, 1] → [1, kh, kw, C], same element order; other multipliers are refused', () => {
    const filter = iota(3 * 3 * 4);
    expect(depthwiseTo1hwc(filter, [3, 3, 4, 1])).toEqual({ values: filter, shape: [1, 3, 3, 4] });
    expect(() => depthwiseTo1hwc(iota(72), [3, 3, 4, 2])).toThrow(/multiplier 2/);
  });

  it('fully connected: [in, out] → [out, in]', () => {
    const { values, shape } = transpose2d(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    expect(shape).toEqual([3, 2]);
    expect(Array.from(values)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

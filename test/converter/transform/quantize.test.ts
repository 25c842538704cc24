/** Weight encodings: float16 bits as IEEE rounds them, uint8 as TF.js dequantizes it. */
import { describe, expect, it } from 'vitest';
import { encodedElementBytes, encodeWeight, toFloat16Bits } from '../../../converter/transform/quantize.js';

describe('toFloat16Bits', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up past the largest half: +Inf
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -26, 0x0000], // underflows to +0
    [1 + 2 ** -11, 0x3c00], // a tie rounds to even
    [Number.NaN, 0x7e00],
  ])('%f → 0x%s', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });
});

describe('encodeWeight', () => {
  it('float32 passes the bytes through; int32 is never quantized', () => {
    const values = Float32Array.of(1.5, -2);
    expect(encodeWeight(values, 'float32')).toEqual({ bytes: new Uint8Array(values.buffer) });
    expect(encodeWeight(Int32Array.of(3), 'uint8').quantization).toBeUndefined();
  });

  it('uint8: q·scale + min recovers each value within scale/2', () => {
    const values = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3);
    const { bytes, quantization } = encodeWeight(values, 'uint8');
    if (quantization?.dtype !== 'uint8') throw new Error('expected uint8 quantization');
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(bytes[i]! * quantization.scale + quantization.min - values[i]!)).toBeLessThanOrEqual(quantization.scale / 2 + 1e-7);
    }
  });

  it('sizes: 2 bytes per float16 element, 1 per uint8, 4 for what stays float32', () => {
    expect([encodedElementBytes('float32', 'float16', true), encodedElementBytes('float32', 'uint8', true), encodedElementBytes('float32', 'uint8', false)]).toEqual([2, 1, 4]);
  });
});

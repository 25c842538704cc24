import { describe, expect, it } from 'vitest';
import { rawToFloat32 } from '../../../converter/read/dtype-conversion.js';

const bytesOf = (array: ArrayBufferView): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

describe('rawToFloat32', () => {
  it('decodes float16 normals, subnormals, infinities, NaN and signed zero', () => {
    const half = Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x7c00, 0xfc00, 0x7e00, 0x8000, 0x3555);
    const out = rawToFloat32(bytesOf(half), 'float16');
    expect([...out]).toEqual([1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, Infinity, -Infinity, NaN, -0, 0.333251953125]);
  });

  it('widens bfloat16 by bit pattern', () => {
    const out = rawToFloat32(bytesOf(Uint16Array.of(0x3f80, 0xc049, 0x7f80, 0x0001)), 'bfloat16');
    expect([...out]).toEqual([1, -3.140625, Infinity, 2 ** -133]);
  });

  it('rounds float64 to nearest float32 and converts integer types', () => {
    expect([...rawToFloat32(bytesOf(Float64Array.of(0.1, -1e300, 2.5)), 'float64')]).toEqual([
      Math.fround(0.1),
      -Infinity,
      2.5,
    ]);
    expect([...rawToFloat32(bytesOf(BigInt64Array.of(-1n, -(2n ** 40n), 2n ** 53n + 2n)), 'int64')]).toEqual([
      -1,
      -(2 ** 40),
      2 ** 53,
    ]);
    expect([...rawToFloat32(bytesOf(Int32Array.of(-7, 16777217)), 'int32')]).toEqual([-7, 16777216]);
    expect([...rawToFloat32(bytesOf(Int16Array.of(-32768)), 'int16')]).toEqual([-32768]);
    expect([...rawToFloat32(Uint8Array.of(0xff, 0x01), 'int8')]).toEqual([-1, 1]);
    expect([...rawToFloat32(Uint8Array.of(0xff, 0x01), 'uint8')]).toEqual([255, 1]);
    expect([...rawToFloat32(Uint8Array.of(1, 0), 'bool')]).toEqual([1, 0]);
  });

  it('copies unaligned input instead of failing to view it', () => {
    const backing = new Uint8Array(9);
    backing.set(bytesOf(Float32Array.of(1.5, -2)), 1);
    expect([...rawToFloat32(backing.subarray(1), 'float32')]).toEqual([1.5, -2]);
    backing.set(bytesOf(Float64Array.of(3)), 1);
    expect([...rawToFloat32(backing.subarray(1), 'float64')]).toEqual([3]);
  });

  it('returns aligned float32 input as a view, without copying', () => {
    const data = Float32Array.of(1, 2, 3);
    expect(rawToFloat32(bytesOf(data), 'float32').buffer).toBe(data.buffer);
  });
});

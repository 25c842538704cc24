/** Weight encodings that TF.js's weights manifest understands through its `quantization` field. */

export type WeightDType = 'float32' | 'float16' | 'uint8';

export interface EncodedWeight {
  readonly bytes: Uint8Array;
  /** The manifest's `quantization` entry; absent for plain float32. */
  readonly quantization?: { dtype: 'float16' } | { dtype: 'uint8'; min: number; scale: number };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of a float32, rounded to nearest even (overflow → ±Inf, NaN kept). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal half: shift the implicit-1 mantissa into place, rounding to nearest even.
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let result = m >>> shift;
    if (rest > half || (rest === half && result & 1)) result++;
    return sign | result;
  }
  let result = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && result & 1)) result++; // may carry into the exponent: still correct
  return sign | result;
}

function encodeFloat16(values: Float32Array): EncodedWeight {
  const halves = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) halves[i] = toFloat16Bits(values[i] ?? 0);
  return { bytes: new Uint8Array(halves.buffer), quantization: { dtype: 'float16' } };
}

/** Per-tensor affine uint8, as TF.js dequantizes it: value = q·scale + min. */
function encodeUint8(values: Float32Array): EncodedWeight {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(((values[i] ?? 0) - min) / scale);
  return { bytes, quantization: { dtype: 'uint8', min, scale } };
}

export function encodeWeight(values: Float32Array | Int32Array, dtype: WeightDType): EncodedWeight {
  if (values instanceof Int32Array || dtype === 'float32') {
    return { bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
  }
  return dtype === 'float16' ? encodeFloat16(values) : encodeUint8(values);
}

/** Bytes per element in the shards, for sizing shards before any weight is computed. */
export function encodedElementBytes(valueType: 'float32' | 'int32', dtype: WeightDType, quantizable: boolean): number {
  if (valueType === 'int32' || !quantizable || dtype === 'float32') return 4;
  return dtype === 'float16' ? 2 : 1;
}

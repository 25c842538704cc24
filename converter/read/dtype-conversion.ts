import type { SourceDType } from './checkpoint-types.js';

/** Bytes per element of each stored dtype. */
export const DTYPE_BYTES: Readonly<Record<SourceDType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/**
 * Converts little-endian element bytes to float32. The bytes must be a buffer the caller owns:
 * aligned float32 input is returned as a view of it rather than copied.
 * (Typed arrays use host byte order; every platform Node supports here is little-endian.)
 */
export function rawToFloat32(bytes: Uint8Array, dtype: SourceDType): Float32Array {
  const size = DTYPE_BYTES[dtype];
  const count = Math.floor(bytes.length / size);
  // Typed-array views need element alignment; an unaligned slice is copied once to a fresh buffer.
  const src = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  const { buffer, byteOffset } = src;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, byteOffset, count);
    case 'float16':
      return float16ToFloat32(new Uint16Array(buffer, byteOffset, count));
    case 'bfloat16':
      return bfloat16ToFloat32(new Uint16Array(buffer, byteOffset, count));
    case 'float64':
      return Float32Array.from(new Float64Array(buffer, byteOffset, count));
    case 'int64':
      return int64ToFloat32(new Int32Array(buffer, byteOffset, count * 2));
    case 'int32':
      return Float32Array.from(new Int32Array(buffer, byteOffset, count));
    case 'int16':
      return Float32Array.from(new Int16Array(buffer, byteOffset, count));
    case 'int8':
      return Float32Array.from(new Int8Array(buffer, byteOffset, count));
    case 'uint8':
    case 'bool':
      return Float32Array.from(src.subarray(0, count));
  }
}

let halfTable: Float32Array | undefined;

/** Every float16 bit pattern decoded once (256 KB), so conversion is one lookup per element. */
function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) halfTable[bits] = decodeFloat16(bits);
  return halfTable;
}

function decodeFloat16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

function float16ToFloat32(src: Uint16Array): Float32Array {
  const table = float16Table();
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
  return out;
}

/** bfloat16 is the top half of a float32, so widening is a 16-bit shift of the bit pattern. */
function bfloat16ToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
  return out;
}

/** Reads each int64 as two int32 halves, avoiding a BigInt per element. */
function int64ToFloat32(halves: Int32Array): Float32Array {
  const out = new Float32Array(halves.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0);
  return out;
}

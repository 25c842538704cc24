/**
 * The language-independent hash PRNG of the project's PyTorch reference (see
 * converter/reference/): every value is a pure function of (tensor name, element index), so
 * TypeScript and NumPy produce bit-identical weights.
 */

export const REFERENCE_SEED = 0x1ce92024;

const textEncoder = new TextEncoder();

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of textEncoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function seedOf(name: string, globalSeed = REFERENCE_SEED): number {
  return fmix32((fnv1a32(name) ^ globalSeed) >>> 0);
}

/** The j-th 32-bit draw of the stream named `name`. */
export function u32At(seed: number, j: number): number {
  return fmix32((seed + Math.imul(j, 0x9e3779b9)) >>> 0);
}

/** The j-th draw mapped to [-1, 1) on a 2^-23 grid (exact in float32). */
export function uniformAt(seed: number, j: number): number {
  return ((u32At(seed, j) >>> 8) - 8388608) / 8388608;
}

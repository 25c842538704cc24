/**
 * Seeded mutations of a file's bytes, the kind that break parsers: bit flips, bytes and
 * little-endian integers set to boundary values, truncation, and ranges deleted, duplicated
 * or overwritten. The same (input, seed) always gives the same output.
 */

const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

type Mutation = (bytes: Uint8Array, random: () => number) => Uint8Array;

const index = (random: () => number, length: number) => Math.floor(random() * length);
const pick = <T>(random: () => number, items: readonly T[]): T => items[index(random, items.length)] as T;

const MUTATIONS: readonly Mutation[] = [
  function flipBit(bytes, random) {
    const at = index(random, bytes.length);
    bytes[at]! ^= 1 << index(random, 8);
    return bytes;
  },
  function setByte(bytes, random) {
    bytes[index(random, bytes.length)] = pick(random, [0, 1, 0x7f, 0x80, 0xff, index(random, 256)]);
    return bytes;
  },
  function setInt(bytes, random) {
    const width = pick(random, [2, 4, 8]);
    if (bytes.length < width) return bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = index(random, bytes.length - width + 1);
    const value = pick(random, INTERESTING_32);
    if (width === 2) view.setUint16(at, value & 0xffff, true);
    else if (width === 4) view.setUint32(at, value, true);
    else view.setBigUint64(at, BigInt(value) * BigInt(pick(random, [1, 0x100000000])), true);
    return bytes;
  },
  function truncate(bytes, random) {
    return bytes.subarray(0, index(random, bytes.length));
  },
  function deleteRange(bytes, random) {
    const start = index(random, bytes.length);
    const end = Math.min(bytes.length, start + 1 + index(random, 64));
    return Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]);
  },
  function duplicateRange(bytes, random) {
    const start = index(random, bytes.length);
    const end = Math.min(bytes.length, start + 1 + index(random, 64));
    return Buffer.concat([bytes.subarray(0, end), bytes.subarray(start, end), bytes.subarray(end)]);
  },
  function fillRange(bytes, random) {
    const start = index(random, bytes.length);
    bytes.fill(pick(random, [0, 0xff, 0x28, 0x5d]), start, Math.min(bytes.length, start + 1 + index(random, 32)));
    return bytes;
  },
];

/** A copy of `input` with one to four mutations applied. */
export function mutateBytes(input: Uint8Array, random: () => number): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(input);
  const count = 1 + index(random, 4);
  for (let i = 0; i < count && bytes.length > 0; i++) bytes = pick(random, MUTATIONS)(bytes, random);
  return bytes;
}

/** FUZZ_ITERATIONS and FUZZ_SEED from the environment (for long runs), else the CI defaults. */
export function fuzzSettings(defaultIterations: number): { iterations: number; seed: number } {
  const iterations = Number(process.env.FUZZ_ITERATIONS ?? defaultIterations);
  const seed = Number(process.env.FUZZ_SEED ?? 0x5eed);
  if (!Number.isInteger(iterations) || iterations < 1 || !Number.isInteger(seed)) {
    throw new Error(`FUZZ_ITERATIONS must be a positive integer and FUZZ_SEED an integer, got ${process.env.FUZZ_ITERATIONS} and ${process.env.FUZZ_SEED}`);
  }
  return { iterations, seed };
}

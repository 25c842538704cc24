/**
 * SHA-256 as lowercase hex. Uses crypto.subtle where it exists; browsers withhold it outside
 * secure contexts (a page on http://192.168.x.x), so a plain-JS implementation keeps
 * integrity checks working there instead of failing the load.
 */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  const digest = subtle ? new Uint8Array(await subtle.digest('SHA-256', data)) : sha256Fallback(data);
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const firstPrimes = (count: number): number[] => {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
};
// FIPS 180-4's constants are the fractional bits of prime roots; doubles hold enough of them.
const fractionBits = (x: number) => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
const ROUND_CONSTANTS = Uint32Array.from(firstPrimes(64), (p) => fractionBits(Math.cbrt(p)));
const INITIAL_HASH = Uint32Array.from(firstPrimes(8), (p) => fractionBits(Math.sqrt(p)));

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** Mixes one 64-byte block at `offset` of `bytes` into `state`; `w` is scratch space. */
function compressBlock(state: Uint32Array, w: Uint32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0, j = offset; i < 16; i++, j += 4) {
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    w[i] = w[i - 16]! + (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) + w[i - 7]! + (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10));
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!;
  let e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + ROUND_CONSTANTS[i]! + w[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  // Uint32Array stores wrap modulo 2^32, which is the addition SHA-256 wants.
  [a, b, c, d, e, f, g, h].forEach((value, i) => (state[i] = state[i]! + value));
}

/** Plain-JS SHA-256 (exported for tests). Hashes full blocks in place; only the padded tail is copied. */
export function sha256Fallback(data: Uint8Array): Uint8Array {
  const state = INITIAL_HASH.slice();
  const w = new Uint32Array(64);
  const fullBlocks = Math.floor(data.length / 64);
  for (let block = 0; block < fullBlocks; block++) compressBlock(state, w, data, block * 64);
  const rest = data.length - fullBlocks * 64;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(data.subarray(fullBlocks * 64));
  tail[rest] = 0x80;
  // The message length in bits, as a 64-bit big-endian integer, ends the padding.
  const tailView = new DataView(tail.buffer);
  tailView.setUint32(tail.length - 8, Math.floor(data.length / 2 ** 29));
  tailView.setUint32(tail.length - 4, (data.length * 8) >>> 0);
  for (let offset = 0; offset < tail.length; offset += 64) compressBlock(state, w, tail, offset);
  const digest = new Uint8Array(32);
  const digestView = new DataView(digest.buffer);
  state.forEach((word, i) => digestView.setUint32(i * 4, word));
  return digest;
}

/**
 * The self-check's probe: a synthetic 299×299 RGB image that the converter and the runtime both
 * build from this code. Integer arithmetic only (no Math.sin, whose last bit differs between
 * JavaScript engines), so every engine makes the same pixels. It mixes what a photo has for a
 * net: smooth gradients, rings, edges and fine noise, so that a broken kernel anywhere shows.
 */
export const PROBE_ID = 'probe-v1';
export const PROBE_SIZE = 299;

/** A 32-bit integer hash (one round of a multiply-xorshift mixer). */
function hash(x: number, y: number, c: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(c + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

function probeValue(x: number, y: number, c: number): number {
  const gradient = c === 0 ? x : c === 1 ? y : (x + y) >> 1;
  const dx = x - 150;
  const dy = y - 120;
  const rings = ((dx * dx + dy * dy) >> 5) & 63;
  const block = ((x >> 5) + (y >> 5) + c) % 3 === 0 ? 48 : 0;
  const noise = hash(x, y, c) & 15;
  return Math.max(0, Math.min(255, ((gradient * 3) >> 2) + rings + block + noise - 8));
}

/** The probe's pixels, NHWC [1, 299, 299, 3], integers in [0, 255] as float32 (the graph's input). */
export function probePixels(): Float32Array {
  const pixels = new Float32Array(PROBE_SIZE * PROBE_SIZE * 3);
  for (let y = 0; y < PROBE_SIZE; y++) {
    for (let x = 0; x < PROBE_SIZE; x++) {
      for (let c = 0; c < 3; c++) pixels[(y * PROBE_SIZE + x) * 3 + c] = probeValue(x, y, c);
    }
  }
  return pixels;
}

/** The benchmark input: the seedA pictures (test/fixtures/seedA), whose PyTorch logits we know. */
export const SIDE = 299;
const PIXELS = SIDE * SIDE * 3;

/** The seedA file holds this many 299×299 RGB pictures, u8 NHWC. */
export const SEED_A_IMAGES = 4;

/** Picture `index` of seedA (cycling), u8 HWC. */
export function seedImage(seedA: Uint8Array, index: number): Uint8Array {
  const i = index % SEED_A_IMAGES;
  return seedA.subarray(i * PIXELS, (i + 1) * PIXELS);
}

/** `batch` pictures cycling through seedA, as float32 NHWC pixels in [0, 255] (the ONNX input). */
export function seedBatch(seedA: Uint8Array, batch: number): Float32Array {
  const out = new Float32Array(batch * PIXELS);
  for (let i = 0; i < batch; i++) out.set(seedImage(seedA, i), i * PIXELS);
  return out;
}

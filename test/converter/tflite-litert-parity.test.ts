/**
 * The TFLite writer's promise: the written model.tflite, run by LiteRT.js (WASM, XNNPACK) in
 * Chromium, computes what PyTorch computes for the seedA images (test/fixtures/seedA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { SEED_A, seedALogits } from '../../tools/reference/seed-a.js';
import { syntheticTfliteDir } from '../../tools/models/synthetic-model.js';
import { openLiteRtPage, type LiteRtPage } from '../helpers/litert-page.js';

/** fp32 end to end; XNNPACK's summation order differs from PyTorch's (measured 2.2e-5). */
const TOLERANCE = 1e-4;

type LiteRt = typeof import('@litertjs/core');

let session: LiteRtPage;
let outputs: { logits: number[][]; embeddingLength: number; outputNames: string[] };

beforeAll(async () => {
  session = await openLiteRtPage(await syntheticTfliteDir());
  outputs = await session.page.evaluate(async (count) => {
    const litert = (window as unknown as { litert: LiteRt }).litert;
    await litert.loadLiteRt('/litert/wasm/');
    const model = await litert.loadAndCompile('/model/model.tflite', { accelerator: 'wasm' });
    const seedA = new Uint8Array(await (await fetch('/seedA/images_u8_nhwc_4x299x299x3.bin')).arrayBuffer());
    const size = 299 * 299 * 3;
    const logits: number[][] = [];
    let embeddingLength = 0;
    for (let i = 0; i < count; i++) {
      const input = new litert.Tensor(Float32Array.from(seedA.subarray(i * size, (i + 1) * size)), [1, 299, 299, 3]);
      const result = await model.run({ pixels: input });
      logits.push(Array.from(result.logits?.toTypedArray() ?? []));
      embeddingLength = result.embedding?.toTypedArray().length ?? 0;
      for (const tensor of [input, ...Object.values(result)]) tensor.delete();
    }
    return { logits, embeddingLength, outputNames: model.getOutputDetails().map((d) => d.name) };
  }, SEED_A.count);
}, 180_000);
afterAll(() => session?.close());

describe('model.tflite in LiteRT.js (Chromium, WASM)', () => {
  it(`gives PyTorch's logits for all 4 seedA images within ${TOLERANCE}, same top-5 in the same order`, () => {
    const worst = Math.max(...outputs.logits.map((got, i) => maxAbsDiff(got, seedALogits(i))));
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    outputs.logits.forEach((got, i) => expect(topK(got, 5)).toEqual(topK(seedALogits(i), 5)));
    console.info(`LiteRT.js wasm on model.tflite: max |Δlogit| vs PyTorch = ${worst.toExponential(2)}`);
  });

  it('names its outputs logits and embedding (2048 values)', () => {
    expect(outputs.outputNames).toEqual(['logits', 'embedding']);
    expect(outputs.embeddingLength).toBe(2048);
  });
});

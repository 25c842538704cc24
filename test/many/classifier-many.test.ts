/**
 * classifyMany on the real main-thread classifier (Node, wasm): photo files streamed in order,
 * each result matching PyTorch's logits for its own file, a missing file as its own typed error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier, type Classifier, type ManyProgress, type ManyResult } from '../../src/node/index.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, PHOTO_FILES, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

let classifier: Classifier;
beforeAll(async () => {
  classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32') });
});
afterAll(() => classifier.dispose());

describe('classifier.classifyMany', () => {
  it(`streams every file in order; logits within ${PHOTO_EXACT_TOLERANCE} of PyTorch; a missing file fails alone`, async () => {
    const photos = PHOTO_FILES.slice(0, 3);
    const files = [`${PHOTOS}/${photos[0]}`, `${PHOTOS}/no-such-photo.jpg`, ...photos.slice(1).map((f) => `${PHOTOS}/${f}`)];
    const results: ManyResult[] = [];
    const progress: ManyProgress[] = [];
    for await (const result of classifier.classifyMany(files, { embeddings: true, topK: 2, onProgress: (p) => progress.push(p) })) results.push(result);
    expect(results.map((r) => [r.index, r.ok])).toEqual([[0, true], [1, false], [2, true], [3, true]]);
    const expected = [photos[0], undefined, ...photos.slice(1)];
    results.forEach((result, i) => {
      if (!result.ok) return expect(result.error).toMatchObject({ code: 'E_INVALID_INPUT', message: expect.stringContaining('no such file') });
      expect(maxAbsDiff(result.logits ?? [], photoLogits(expected[i] as string)), files[i]).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
      expect(result.embedding).toHaveLength(2048);
      expect(result.predictions).toHaveLength(2);
    });
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4, failed: 1, etaMs: 0 });
  });
});

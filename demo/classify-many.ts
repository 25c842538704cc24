import { isInceptionError, type Classifier, type ImageInput, type ManyOptions, type ManyResult } from '../src/index.js';

/**
 * Stand-in for the SDK's `classifyMany` (issue #14 part 4, built on another branch): the same
 * contract (src/many/many-types.ts), one item at a time through analyze(), so the demo is wired
 * and tested against it today. Once the classifier has the method, callers use it and this goes.
 */
export async function* classifyMany(classifier: Classifier, inputs: readonly ImageInput[], options: ManyOptions = {}): AsyncIterableIterator<ManyResult> {
  // One at a time, so `concurrency` has nothing to bound here.
  const { onProgress, embeddings, ...classify } = options;
  const started = performance.now();
  let failed = 0;
  for (const [index, input] of inputs.entries()) {
    // Checked before each item: a cancelled run starts nothing more.
    classify.signal?.throwIfAborted();
    let result: ManyResult;
    try {
      const { predictions, logits, embedding } = await classifier.analyze(input, classify);
      result = { index, input, ok: true, predictions, ...(embeddings && { logits, embedding }) };
    } catch (error) {
      if (classify.signal?.aborted || !isInceptionError(error)) throw error;
      failed += 1;
      result = { index, input, ok: false, error };
    }
    const done = index + 1;
    const imagesPerSecond = done / ((performance.now() - started) / 1000);
    onProgress?.({ done, total: inputs.length, failed, imagesPerSecond, etaMs: ((inputs.length - done) / imagesPerSecond) * 1000 });
    yield result;
  }
}

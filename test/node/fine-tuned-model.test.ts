/**
 * Fine-tuned models through the runtime in Node (wasm): the user's labels in every prediction,
 * topK clamped to the class count, ImageNet normalisation applied by the graph, and an
 * embedding-only model whose classify is a typed error while embed, features and tags work.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTagger, isInceptionError, loadClassifier, type Classifier } from '../../src/node/index.js';
import { convertFinetuneCase, FINETUNE_CASES, type FinetuneCaseName } from '../helpers/finetune-fixtures.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { SEED_A, seedAPixels } from '../../tools/reference/seed-a.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-node-finetune-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The seedA images as exact 299×299 inputs (preprocess 'none'), the crops PyTorch saw. */
function seedATensors(): tf.Tensor3D[] {
  return Array.from({ length: SEED_A.count }, (_, i) => tf.tensor3d(seedAPixels(i), [299, 299, 3]));
}

async function load(name: FinetuneCaseName): Promise<Classifier> {
  return loadClassifier({ modelUrl: await convertFinetuneCase(name, dir), preprocess: 'none', warmup: false });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (e: unknown) => e);
}

describe.each<FinetuneCaseName>(['ft7', 'imagenet_norm'])('%s through the classifier', (name) => {
  it("predictions carry the checkpoint's labels; logits match PyTorch within 1e-3; topK clamps to the class count", async () => {
    const want = FINETUNE_CASES[name];
    const classifier = await load(name);
    const images = seedATensors();
    try {
      expect(classifier.labels).toEqual(want.labels);
      const analyses = await classifier.analyze(images, { topK: 100 });
      for (const [i, { logits, predictions }] of analyses.entries()) {
        expect(maxAbsDiff(logits, want.logits?.[i] ?? [])).toBeLessThanOrEqual(1e-3);
        expect(predictions).toHaveLength(want.labels.length);
        expect(predictions.map((p) => p.label)).toEqual(predictions.map((p) => want.labels[p.index]));
        expect(predictions[0]?.index).toBe(logits.indexOf(Math.max(...logits)));
      }
    } finally {
      tf.dispose(images);
      classifier.dispose();
    }
  }, 60_000);
});

describe('an embedding-only model (checkpoint without fc)', () => {
  let classifier: Classifier;
  let images: tf.Tensor3D[];
  beforeAll(async () => {
    classifier = await load('embedding');
    images = seedATensors();
  }, 60_000);
  afterAll(() => {
    tf.dispose(images);
    classifier.dispose();
  });

  it('classify, logits and analyze reject with E_NO_CLASSIFIER, naming what works instead', async () => {
    expect(classifier.labels).toEqual([]);
    for (const call of [() => classifier.classify(images[0]!), () => classifier.logits(images[0]!), () => classifier.analyze(images)]) {
      const error = await rejection(call());
      expect(isInceptionError(error) && error.code, String(error)).toBe('E_NO_CLASSIFIER');
      expect((error as Error).message).toMatch(/embedding\.pth.*use embed\(\), features\(\) or a custom-tag tagger/);
    }
  });

  it("embed() gives PyTorch's pooled features within 1e-3, and features() works", async () => {
    const embeddings = await classifier.embed(images);
    const worst = Math.max(...embeddings.map((e, i) => maxAbsDiff(e, FINETUNE_CASES.embedding.embedding?.[i] ?? [])));
    expect(worst).toBeLessThanOrEqual(1e-3);
    const { Mixed_7c } = await classifier.features(images[0]!, ['Mixed_7c']);
    expect(Mixed_7c.shape).toEqual([8, 8, 2048]);
  }, 60_000);

  it('a custom-tag tagger learns from its embeddings', async () => {
    const tagger = createTagger(classifier);
    await tagger.add([images[0]!, images[1]!], 'textured');
    await tagger.add([images[2]!, images[3]!], 'smooth');
    const predictions = await tagger.predict(images, { mode: 'knn', topK: 1 });
    expect(predictions.map((list) => list[0]?.label)).toEqual(['textured', 'textured', 'smooth', 'smooth']);
  }, 60_000);
});

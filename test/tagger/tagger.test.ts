/**
 * Custom tags end to end in Node (wasm, synthetic weights): three visibly different groups of
 * real photos — the cat (chelsea), the coffee cup, the Hubble picture — as 10 altered shots each
 * (see photoVariants). Split per group: the first 5 shots are taught, the last 5 held out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTagger, loadClassifier, loadTagger, loadTaggerFile, taggerToBlob, type Classifier, type Tagger } from '../../src/node/index.js';
import { base64ToFloat32 } from '../../src/tagger/base64.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { photoVariants } from '../helpers/photo-variants.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

const GROUPS = { cat: 'chelsea_rgba.png', coffee: 'coffee_small.png', space: 'hubble_portrait.jpg' } as const;
const SHOTS = 10;
const TAUGHT = 5;

let classifier: Classifier;
let tagger: Tagger;
const heldOut: { label: string; image: tf.Tensor3D }[] = [];
/** The held-out shots' embeddings, computed once: most checks go through predictEmbeddings. */
let embeddings: Float32Array[];

beforeAll(async () => {
  classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32') });
  tagger = createTagger(classifier);
  for (const [i, [label, file]] of Object.entries(GROUPS).entries()) {
    const shots = await photoVariants(file, SHOTS, 10 + i);
    await tagger.add(shots.slice(0, TAUGHT), label);
    tf.dispose(shots.slice(0, TAUGHT));
    heldOut.push(...shots.slice(TAUGHT).map((image) => ({ label, image })));
  }
  embeddings = await classifier.embed(images());
});
afterAll(() => {
  tf.dispose(heldOut.map((h) => h.image));
  classifier.dispose();
});

const images = () => heldOut.map((h) => h.image);

function accuracy(predictions: { label: string }[][]): number {
  return predictions.filter((list, i) => list[0]?.label === heldOut[i]?.label).length / heldOut.length;
}

describe('teaching and predicting (3 tags × 5 taught shots; 15 held-out shots)', () => {
  it('records tags in order with their example counts', () => {
    expect(tagger.labels).toEqual(['cat', 'coffee', 'space']);
    expect(tagger.counts).toEqual({ cat: 5, coffee: 5, space: 5 });
    expect(tagger.trained).toBe(false);
  });

  it('kNN: ≥ 90% held-out accuracy with no training; the probabilities of all tags sum to 1', () => {
    const predictions = tagger.predictEmbeddings(embeddings, { mode: 'knn', topK: 3 });
    expect(accuracy(predictions)).toBeGreaterThanOrEqual(0.9);
    for (const list of predictions) {
      expect(list.map((p) => p.label).sort()).toEqual(['cat', 'coffee', 'space']);
      expect(list.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 6);
      expect(list[0]?.probability).toBeGreaterThan(list[1]?.probability ?? 1);
    }
  });

  it('linear: training reports every epoch, improves, and reaches ≥ 90% held-out accuracy', async () => {
    const progress: { epoch: number; loss: number; accuracy: number }[] = [];
    const final = await tagger.train({ epochs: 40, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(final).toEqual({ ...progress.at(-1), epochs: 40 });
    expect(final.loss).toBeLessThan((progress[0]?.loss ?? 0) / 4);
    expect(final.accuracy).toBe(1);
    expect(tagger.trained).toBe(true);
    const predictions = tagger.predictEmbeddings(embeddings, { mode: 'linear' });
    expect(accuracy(predictions)).toBeGreaterThanOrEqual(0.9);
    // 'auto' uses the head once trained.
    expect(tagger.predictEmbeddings(embeddings, { topK: 3 })).toEqual(predictions);
  });

  it('predict() on images equals predictEmbeddings() on their embeddings, for one image or many', async () => {
    const two = images().slice(0, 2);
    const expected = tagger.predictEmbeddings(embeddings.slice(0, 2), { mode: 'knn' });
    expect(await tagger.predict(two, { mode: 'knn' })).toEqual(expected);
    expect(await tagger.predict(two[1] as tf.Tensor3D, { mode: 'knn' })).toEqual(expected[1]);
  });

  it('trains deterministically: same examples and options, same head', async () => {
    const again = loadTagger(classifier, tagger.toJSON());
    await Promise.all([tagger.train({ epochs: 10 }), again.train({ epochs: 10 })]);
    expect(again.toJSON()).toEqual(tagger.toJSON());
  });

  it('classify() gives the ImageNet top-k and the custom tags of each image in one result', async () => {
    const [first] = await tagger.classify(images().slice(0, 1), { imagenet: { topK: 2 }, tags: { topK: 1 } });
    expect(first?.imagenet).toEqual(await classifier.classify(images()[0] as tf.Tensor3D, { topK: 2 }));
    expect(first?.tags).toEqual(tagger.predictEmbeddings(embeddings.slice(0, 1), { topK: 1 })[0]);
  });
});

describe('saving and loading', () => {
  it('a JSON round trip (object, text, and Blob file) gives identical predictions in both modes', async () => {
    const text = JSON.stringify(tagger);
    const copies = [loadTagger(classifier, tagger.toJSON()), loadTagger(classifier, text), await loadTaggerFile(classifier, taggerToBlob(tagger))];
    for (const mode of ['knn', 'linear'] as const) {
      const expected = tagger.predictEmbeddings(embeddings, { mode, topK: 3 });
      for (const copy of copies) expect(copy.predictEmbeddings(embeddings, { mode, topK: 3 })).toEqual(expected);
    }
    for (const copy of copies) {
      expect(copy.labels).toEqual(tagger.labels);
      expect(copy.counts).toEqual(tagger.counts);
      expect(copy.trained).toBe(true);
      expect(JSON.stringify(copy)).toBe(text);
    }
    expect(taggerToBlob(tagger).type).toBe('application/json');
  });

  it('stores the model identity and base64 vectors', () => {
    const json = tagger.toJSON();
    expect(json).toMatchObject({ format: 'inception-webgpu-tagger', formatVersion: 1, k: 3 });
    expect(json.model).toEqual({ weightsSha256: classifier.metadata.weights.sha256, embeddingSize: 2048 });
    expect(json.classes.map((c) => c.label)).toEqual(['cat', 'coffee', 'space']);
    // 5 embeddings × 2048 float32 = 40960 bytes; base64 takes 4 characters per 3 bytes (rounded up).
    expect(json.classes[0]?.embeddings).toHaveLength(4 * Math.ceil(40960 / 3));
  });
});

describe('changing the tags', () => {
  it('adding a new tag outdates the head; remove() and clear() forget', async () => {
    const copy = loadTagger(classifier, tagger.toJSON());
    copy.addEmbeddings(embeddings.slice(0, 1), 'extra');
    expect(copy.trained).toBe(false);
    expect(copy.toJSON().head).toBeNull();
    expect(copy.remove('extra')).toBe(true);
    expect(copy.remove('extra')).toBe(false);
    // Back to the tags it was trained on: the head applies again.
    expect(copy.trained).toBe(true);
    copy.clear();
    expect(copy.labels).toEqual([]);
    expect(copy.trained).toBe(false);
  });
});

describe('augmentation', () => {
  it('adds each image, its mirror and seeded random crops; the same seed adds the same examples', async () => {
    const [photo] = await photoVariants('coffee_small.png', 1, 99);
    const [a, b] = [createTagger(classifier), createTagger(classifier)];
    expect(await a.add(photo as tf.Tensor3D, 'coffee', { augment: { crops: 1, seed: 7 } })).toBe(3);
    expect(await b.add(photo as tf.Tensor3D, 'coffee', { augment: { crops: 1, seed: 7 } })).toBe(3);
    expect(b.toJSON()).toEqual(a.toJSON());
    const plain = createTagger(classifier);
    await plain.add(photo as tf.Tensor3D, 'coffee');
    // The first example is the unaltered image (embedded in a batch of 3 rather than 1).
    const examples = (t: Tagger) => base64ToFloat32(t.toJSON().classes[0]?.embeddings ?? '');
    expect(maxAbsDiff(examples(a).subarray(0, 2048), examples(plain))).toBeLessThan(1e-5);
    photo?.dispose();
  });
});

describe('memory', () => {
  it('adding (with augmentation), training, predicting and failing leak no tensors', async () => {
    const image = images()[0] as tf.Tensor3D;
    const empty = tf.zeros([0, 0, 3]) as tf.Tensor3D;
    const copy = loadTagger(classifier, tagger.toJSON());
    const before = tf.memory().numTensors;
    await copy.add(image, 'cat', { augment: { crops: 1 } });
    await copy.train({ epochs: 3 });
    await copy.predict(image, { mode: 'knn' });
    await copy.classify(image);
    await expect(copy.add(empty, 'cat', { augment: true })).rejects.toMatchObject({ code: 'E_EMPTY_IMAGE' });
    expect(tf.memory().numTensors).toBe(before);
    empty.dispose();
  });
});

/**
 * Every way a tagger can be misused or fed a bad file gives a typed error whose message says
 * what to do. Examples here are made-up embeddings (addEmbeddings), so no forward pass is needed
 * except where images are the point.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTagger,
  isInceptionError,
  listSavedTaggers,
  loadClassifier,
  loadTagger,
  saveTagger,
  TaggerError,
  type Classifier,
  type Tagger,
  type TaggerJSON,
} from '../../src/node/index.js';
import { float32ToBase64 } from '../../src/tagger/base64.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

let classifier: Classifier;
beforeAll(async () => {
  classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), warmup: false });
});
afterAll(() => classifier.dispose());

/** A made-up 2048-d embedding; different seeds point different ways. */
const fakeEmbedding = (seed: number, size = 2048) => Float32Array.from({ length: size }, (_, i) => 1 + Math.sin(i * seed));

function taught(labels: string[]): Tagger {
  const tagger = createTagger(classifier);
  labels.forEach((label, i) => tagger.addEmbeddings([fakeEmbedding(i + 1), fakeEmbedding(i + 1.5)], label));
  return tagger;
}

/** Runs `action` (sync or async) and returns the message of the InceptionError it must throw with `code`. */
async function expectError(action: () => unknown, code: string, hint?: RegExp): Promise<string> {
  const error = await Promise.resolve().then(action).then(() => undefined, (e: unknown) => e);
  expect(isInceptionError(error) && error.code, String(error)).toBe(code);
  const { message } = error as Error;
  if (hint) expect(message).toMatch(hint);
  return message;
}

describe('a tagger from another model → E_TAGGER_MISMATCH', () => {
  it('the same weights converted to float16 (another weights hash)', async () => {
    const float16 = await loadClassifier({ modelUrl: await syntheticModelDir('float16'), warmup: false });
    try {
      const message = await expectError(() => loadTagger(float16, taught(['a', 'b']).toJSON()), 'E_TAGGER_MISMATCH', /taught on another model.*teach the tags again/);
      expect(message).toContain(classifier.metadata.weights.sha256.slice(0, 12));
    } finally {
      float16.dispose();
    }
  });

  it('another embedding size', async () => {
    const tagger = createTagger(classifier);
    tagger.addEmbeddings([fakeEmbedding(1)], 'a');
    const json = tagger.toJSON();
    const foreign: TaggerJSON = { ...json, model: { ...json.model, embeddingSize: 1024 }, classes: [{ label: 'a', embeddings: float32ToBase64(fakeEmbedding(1, 1024)) }] };
    await expectError(() => loadTagger(classifier, foreign), 'E_TAGGER_MISMATCH', /1024-d embeddings but this classifier's model makes 2048-d/);
  });

  it('the TaggerError class is exported, for instanceof checks', () => {
    expect(() => loadTagger(classifier, { ...taught(['a']).toJSON(), model: { weightsSha256: 'other', embeddingSize: 2048 } })).toThrow(TaggerError);
  });
});

describe('teaching', () => {
  it('an empty class → E_EMPTY_CLASS, before any work', async () => {
    const tagger = createTagger(classifier);
    await expectError(() => tagger.add([], 'receipt'), 'E_EMPTY_CLASS', /'receipt'.*at least one image/);
    await expectError(() => tagger.addEmbeddings([], 'receipt'), 'E_EMPTY_CLASS');
    expect(tagger.labels).toEqual([]);
  });

  it('training one class, or none → E_NEED_TWO_CLASSES, naming the fix', async () => {
    await expectError(() => taught(['receipt']).train(), 'E_NEED_TWO_CLASSES', /only has 'receipt'.*another tag.*kNN/);
    await expectError(() => createTagger(classifier).train(), 'E_NEED_TWO_CLASSES', /has none yet/);
  });

  it('a bad label or embedding → E_INVALID_INPUT', async () => {
    const tagger = createTagger(classifier);
    await expectError(() => tagger.addEmbeddings([fakeEmbedding(1)], ''), 'E_INVALID_INPUT', /non-empty string/);
    await expectError(() => tagger.addEmbeddings([fakeEmbedding(1)], 42 as unknown as string), 'E_INVALID_INPUT');
    await expectError(() => tagger.addEmbeddings([fakeEmbedding(1, 1000)], 'a'), 'E_INVALID_INPUT', /2048 finite values.*got 1000/);
    await expectError(() => tagger.addEmbeddings([new Float32Array(2048).fill(Number.NaN)], 'a'), 'E_INVALID_INPUT');
    expect(tagger.labels).toEqual([]);
  });

  it.each([
    ['k: 0', () => createTagger(classifier, { k: 0 })],
    ['epochs: 0', () => taught(['a', 'b']).train({ epochs: 0 })],
    ['learningRate: -1', () => taught(['a', 'b']).train({ learningRate: -1 })],
    ['batchSize: 2.5', () => taught(['a', 'b']).train({ batchSize: 2.5 })],
    ['topK: 0', () => taught(['a']).predictEmbeddings([fakeEmbedding(1)], { topK: 0 })],
    ["mode: 'svm'", () => taught(['a']).predictEmbeddings([fakeEmbedding(1)], { mode: 'svm' as 'knn' })],
    ['augment.crops: -1', () => createTagger(classifier).add(tf.zeros([8, 8, 3]) as tf.Tensor3D, 'a', { augment: { crops: -1 } })],
    ['augment.cropScale: [0.9, 0.5]', () => createTagger(classifier).add(tf.zeros([8, 8, 3]) as tf.Tensor3D, 'a', { augment: { cropScale: [0.9, 0.5] } })],
  ])('%s → E_BAD_OPTION', async (_name, action) => {
    await expectError(action, 'E_BAD_OPTION');
  });
});

describe('predicting too early', () => {
  it('before any example → E_NO_EXAMPLES, without running the model', async () => {
    const tagger = createTagger(classifier);
    await expectError(() => tagger.predictEmbeddings([fakeEmbedding(1)]), 'E_NO_EXAMPLES', /tagger\.add\(images, 'label'\)/);
    const started = performance.now();
    await expectError(() => tagger.predict(tf.zeros([299, 299, 3]) as tf.Tensor3D), 'E_NO_EXAMPLES');
    await expectError(() => tagger.classify(tf.zeros([299, 299, 3]) as tf.Tensor3D), 'E_NO_EXAMPLES');
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("mode: 'linear' before train(), or after a tag was added → E_NOT_TRAINED; kNN still works", async () => {
    const tagger = taught(['a', 'b']);
    await expectError(() => tagger.predictEmbeddings([fakeEmbedding(1)], { mode: 'linear' }), 'E_NOT_TRAINED', /train\(\) has not run.*mode: 'knn'/);
    await tagger.train({ epochs: 2 });
    tagger.addEmbeddings([fakeEmbedding(9)], 'c');
    await expectError(() => tagger.predictEmbeddings([fakeEmbedding(1)], { mode: 'linear' }), 'E_NOT_TRAINED', /trained on a, b; now a, b, c/);
    expect(tagger.predictEmbeddings([fakeEmbedding(9)])[0]?.[0]?.label).toBe('c');
  });
});

describe('a corrupt or foreign file → E_CORRUPT_TAGGER, naming what is wrong', () => {
  const good = () => taught(['a', 'b']).toJSON();
  const withTrainedHead = async () => {
    const tagger = taught(['a', 'b']);
    await tagger.train({ epochs: 1 });
    return tagger.toJSON();
  };

  it.each<[string, () => TaggerJSON | string | Promise<TaggerJSON>, RegExp]>([
    ['text that is not JSON', () => 'tagger?', /not JSON/],
    ['a file cut short', () => JSON.stringify(good()).slice(0, 500), /not JSON.*cut short/],
    ['a model.json', () => JSON.stringify({ format: 'graph-model', modelTopology: {} }), /another kind of file/],
    ['null', () => null as unknown as TaggerJSON, /no "format"/],
    ['a newer format version', () => ({ ...good(), formatVersion: 2 }), /newer inception-webgpu.*upgrade/],
    ['no model identity', () => ({ ...good(), model: undefined as unknown as TaggerJSON['model'] }), /"model" must be/],
    ['k: 0', () => ({ ...good(), k: 0 }), /"k" must be a positive integer/],
    ['classes not an array', () => ({ ...good(), classes: {} as TaggerJSON['classes'] }), /"classes" must be an array/],
    ['a class without a label', () => ({ ...good(), classes: [{ label: '', embeddings: '' }] }), /classes\[0\] has no label/],
    ['a tag twice', () => ({ ...good(), classes: [...good().classes, ...good().classes] }), /'a' appears twice/],
    ['an empty class', () => ({ ...good(), classes: [{ label: 'a', embeddings: '' }] }), /'a' hold 0 values/],
    ['embeddings that are not base64', () => ({ ...good(), classes: [{ label: 'a', embeddings: '*not base64*' }] }), /not base64 float32/],
    ['a partial embedding', () => ({ ...good(), classes: [{ label: 'a', embeddings: float32ToBase64(new Float32Array(100)) }] }), /100 values, not one or more 2048-d/],
    ['a NaN in an embedding', () => ({ ...good(), classes: [{ label: 'a', embeddings: float32ToBase64(new Float32Array(2048).fill(Number.NaN)) }] }), /NaN/],
    ['a head of the wrong size', async () => ({ ...(await withTrainedHead()), head: { weights: float32ToBase64(new Float32Array(10)), bias: float32ToBase64(new Float32Array(2)) } }), /head weights holds 10 values, expected 4096/],
    ['a head that is not an object', () => ({ ...good(), head: 'trained' as unknown as TaggerJSON['head'] }), /"head" must be null/],
  ])('%s', async (_name, make, hint) => {
    const source = await make();
    const message = await expectError(() => loadTagger(classifier, source), 'E_CORRUPT_TAGGER', hint);
    expect(message).toMatch(/tagger\.toJSON\(\), or teach the tags again/);
  });
});

describe('IndexedDB in Node', () => {
  it('saving or listing → E_STORAGE, pointing at JSON instead', async () => {
    await expectError(() => saveTagger(taught(['a']), 'mine'), 'E_STORAGE', /loadTagger\(\)/);
    await expectError(() => listSavedTaggers(), 'E_STORAGE');
  });
});

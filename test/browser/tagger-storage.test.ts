/**
 * The tagger in a real browser: IndexedDB persistence across a page reload, the saved list,
 * deletion, and the JSON file round trip through a File — with made-up embeddings
 * (addEmbeddings), so the model is only loaded for its identity (cpu, no warm-up). Then real
 * teaching and training with the classifier in a worker, where this thread has no backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessSession } from '../helpers/browser-harness.js';

let session: HarnessSession;
beforeAll(async () => {
  session = await openHarness('webgl');
});
afterAll(() => session?.close());

/** Installs, in the page, the classifier and the made-up examples and queries both evaluations use. */
async function preparePage(): Promise<void> {
  await session.page.evaluate(async () => {
    const classifier = await window.sdk.loadClassifier({ modelUrl: '/models/synthetic/model.json', backend: 'cpu', warmup: false, cache: false });
    const vector = (seed: number) => Float32Array.from({ length: 2048 }, (_, i) => 1 + Math.sin(i * seed));
    Object.assign(window, { classifier, vector, queries: [vector(1.1), vector(2.9), vector(5)] });
  });
}

declare global {
  interface Window {
    classifier: import('../../src/index.js').Classifier;
    vector: (seed: number) => Float32Array;
    queries: Float32Array[];
  }
}

describe('IndexedDB persistence', () => {
  it('a saved tagger survives a page reload and predicts identically; list and delete work', async () => {
    await preparePage();
    const saved = await session.page.evaluate(async () => {
      const { createTagger, saveTagger, listSavedTaggers } = window.sdk;
      const tagger = createTagger(window.classifier);
      tagger.addEmbeddings([window.vector(1), window.vector(1.2)], 'receipt');
      tagger.addEmbeddings([window.vector(3)], 'parcel');
      await tagger.train({ epochs: 5 });
      await saveTagger(tagger, 'shop');
      const list = await listSavedTaggers();
      return { predictions: tagger.predictEmbeddings(window.queries), list: list.map((info) => ({ ...info, savedAt: info.savedAt instanceof Date })) };
    });
    expect(saved.list).toEqual([{ name: 'shop', savedAt: true, labels: ['receipt', 'parcel'], counts: { receipt: 2, parcel: 1 }, trained: true }]);

    await session.page.reload();
    await session.page.waitForFunction(() => window.harnessReady === true);
    await preparePage();
    const reloaded = await session.page.evaluate(async () => {
      const { loadSavedTagger, deleteSavedTagger, listSavedTaggers } = window.sdk;
      const tagger = await loadSavedTagger(window.classifier, 'shop');
      const missing = await loadSavedTagger(window.classifier, 'nope').then(() => undefined, (e: { code: string; message: string }) => `${e.code}: ${e.message}`);
      const deleted = [await deleteSavedTagger('shop'), await deleteSavedTagger('shop')];
      return { predictions: tagger.predictEmbeddings(window.queries), trained: tagger.trained, missing, deleted, left: (await listSavedTaggers()).length };
    });
    expect(reloaded.predictions).toEqual(saved.predictions);
    expect(reloaded.trained).toBe(true);
    expect(reloaded.missing).toMatch(/^E_TAGGER_NOT_FOUND: .*'nope'.*saved: 'shop'/);
    expect(reloaded.deleted).toEqual([true, false]);
    expect(reloaded.left).toBe(0);
  });
});

describe('download and upload', () => {
  it('taggerToBlob → File → loadTaggerFile gives identical predictions; a damaged file is E_CORRUPT_TAGGER', async () => {
    const result = await session.page.evaluate(async () => {
      const { createTagger, taggerToBlob, loadTaggerFile } = window.sdk;
      const tagger = createTagger(window.classifier);
      tagger.addEmbeddings([window.vector(1)], 'receipt');
      tagger.addEmbeddings([window.vector(3)], 'parcel');
      const blob = taggerToBlob(tagger);
      const file = new File([blob], 'tagger.json', { type: blob.type });
      const loaded = await loadTaggerFile(window.classifier, file);
      const damaged = new File([(await blob.text()).slice(0, 100)], 'tagger.json');
      const error = await loadTaggerFile(window.classifier, damaged).then(() => undefined, (e: { code: string }) => e.code);
      return { same: JSON.stringify(loaded.predictEmbeddings(window.queries)) === JSON.stringify(tagger.predictEmbeddings(window.queries)), type: blob.type, error };
    });
    expect(result).toEqual({ same: true, type: 'application/json', error: 'E_CORRUPT_TAGGER' });
  });
});

describe('with a classifier in a worker', () => {
  it('teaches from canvases (with augmentation), trains and predicts, on a page with no TF.js backend of its own', async () => {
    // A fresh page: the tests above registered the cpu backend on this thread.
    await session.page.reload();
    await session.page.waitForFunction(() => window.harnessReady === true);
    const result = await session.page.evaluate(async () => {
      const { loadWorkerClassifier, createTagger } = window.sdk;
      const backendsBefore = Object.keys(window.tf.engine().registryFactory).length;
      const classifier = await loadWorkerClassifier({ modelUrl: '/models/synthetic/model.json', backend: 'wasm', wasmPaths: '/wasm/', warmup: false, cache: false });
      const canvas = (colour: string) => {
        const c = document.createElement('canvas');
        [c.width, c.height] = [64, 48];
        const g = c.getContext('2d') as CanvasRenderingContext2D;
        g.fillStyle = colour;
        g.fillRect(0, 0, 64, 48);
        g.fillStyle = 'white';
        g.fillRect(8, 8, 20, 12);
        return c;
      };
      const tagger = createTagger(classifier);
      const added = [await tagger.add(canvas('red'), 'red', { augment: { crops: 1 } }), await tagger.add(canvas('blue'), 'blue')];
      const final = await tagger.train({ epochs: 20 });
      const [red, blue] = await tagger.predict([canvas('#e00'), canvas('#00e')], { topK: 1 });
      classifier.dispose();
      return { backendsBefore, added, accuracy: final.accuracy, tags: [red?.[0]?.label, blue?.[0]?.label] };
    });
    expect(result).toEqual({ backendsBefore: 0, added: [3, 1], accuracy: 1, tags: ['red', 'blue'] });
  });
});

/**
 * The whole worker protocol in Node, without a browser: loadWorkerClassifier() on one end of a
 * MessageChannel, exposeClassifier() on the other, the synthetic model over HTTP on wasm.
 */
import { MessageChannel } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/classifier.js';
import { loadClassifier } from '../../src/load-classifier.js';
import type { LoadOptions, LoadProgress } from '../../src/options.js';
import { exposeClassifier, type ClassifierEndpoint } from '../../src/worker/expose-classifier.js';
import { loadWorkerClassifier } from '../../src/worker/load-worker-classifier.js';
import { convertFinetuneCase, FINETUNE_CASES } from '../helpers/finetune-fixtures.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { SEED_A, seedAPixels } from '../../tools/reference/seed-a.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { rejectsWith } from '../load/expect-error.js';

/** A "worker" whose other end runs exposeClassifier() in this thread; counts terminate() calls. */
function channelWorker(): Worker & { terminated: number } {
  const { port1, port2 } = new MessageChannel();
  exposeClassifier(port2 as unknown as ClassifierEndpoint);
  const worker = Object.assign(port1, {
    terminated: 0,
    terminate() {
      worker.terminated++;
      port1.close();
      port2.close();
    },
  });
  return worker as unknown as Worker & { terminated: number };
}

let server: StaticServer;
let options: LoadOptions;
let direct: Classifier;
let proxy: Classifier;
let worker: ReturnType<typeof channelWorker>;
const progress: LoadProgress[] = [];
const image = (seed: number) => tf.tidy(() => tf.randomUniform([240, 320, 3], 0, 255, 'float32', seed) as tf.Tensor3D);

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/model/': await syntheticModelDir('float32') } });
  options = { modelUrl: `${server.url}/model/model.json`, backend: 'wasm', cache: false };
  direct = await loadClassifier(options);
  worker = channelWorker();
  proxy = await loadWorkerClassifier({ ...options, worker, onProgress: (p) => progress.push(p) });
});
afterAll(async () => {
  proxy.dispose();
  direct.dispose();
  await server.close();
});

describe('loadWorkerClassifier over a MessageChannel', () => {
  it('has backend, metadata, labels and timings synchronously after load', () => {
    expect(proxy.backend).toBe('wasm');
    expect(proxy.backendReport).toEqual(direct.backendReport);
    expect(proxy.metadata).toEqual(direct.metadata);
    expect(proxy.labels[281]).toBe('tabby, tabby cat');
    expect(proxy.timings.totalMs).toBeGreaterThan(0);
  });

  it('forwards load progress up to the full size', () => {
    const last = progress.at(-1);
    expect(progress.length).toBeGreaterThan(1);
    expect(last?.loadedBytes).toBe(last?.totalBytes);
  });

  it('gives the logits, embeddings, features and predictions of the direct classifier', async () => {
    const input = image(1);
    expect(maxAbsDiff(await proxy.logits(input), await direct.logits(input))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(await proxy.embed(input), await direct.embed(input))).toBeLessThanOrEqual(1e-5);
    const [name] = Object.keys(direct.metadata.outputs.features);
    const feature = (await proxy.features(input, [name as string]))[name as string];
    expect(feature?.shape).toEqual(direct.metadata.outputs.features[name as string]);
    expect(await proxy.classify(input, { topK: 3 })).toEqual(await direct.classify(input, { topK: 3 }));
    input.dispose();
  });

  it('matches concurrent calls (a batch among single images) to their own replies', async () => {
    const inputs = [image(2), image(3), image(4)];
    const [a, batch, c] = await Promise.all([proxy.logits(inputs[0] as tf.Tensor3D), proxy.logits([inputs[1] as tf.Tensor3D, inputs[0] as tf.Tensor3D]), proxy.logits(inputs[2] as tf.Tensor3D)]);
    const expected = await direct.logits(inputs);
    expect(maxAbsDiff(a, expected[0] as Float32Array)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(batch[0] as Float32Array, expected[1] as Float32Array)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(batch[1] as Float32Array, expected[0] as Float32Array)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(c, expected[2] as Float32Array)).toBeLessThanOrEqual(1e-5);
    tf.dispose(inputs);
  });

  it('leaves the caller\'s tensor usable', async () => {
    const input = image(5);
    await proxy.logits(input);
    expect(input.isDisposed).toBe(false);
    expect(input.shape).toEqual([240, 320, 3]);
    input.dispose();
  });

  it('rejects with the code and message the direct classifier gives', async () => {
    const input = image(6);
    const [viaWorker, here] = await Promise.all([rejectsWith(proxy.features(input, ['nope']), 'E_UNKNOWN_FEATURE'), rejectsWith(direct.features(input, ['nope']), 'E_UNKNOWN_FEATURE')]);
    expect(viaWorker.message).toBe(here.message);
    await rejectsWith(proxy.classify(input, { topK: 0 }), 'E_BAD_OPTION');
    const flat = tf.zeros([2, 2]);
    await rejectsWith(proxy.logits(flat as unknown as tf.Tensor3D), 'E_INVALID_INPUT');
    tf.dispose([input, flat]);
  });

  it('refuses an input that cannot be posted with E_INVALID_INPUT', async () => {
    await rejectsWith(proxy.logits((() => 1) as unknown as tf.Tensor3D), 'E_INVALID_INPUT');
  });
});

/** `tensor`, counting reads of its shape: the first thing a classifier does with an input it runs. */
function watched(tensor: tf.Tensor3D): { input: tf.Tensor3D; reads: () => number } {
  let reads = 0;
  const input = new Proxy(tensor, {
    get(target, key) {
      if (key === 'shape') reads++;
      return Reflect.get(target, key, target) as unknown;
    },
  });
  return { input, reads: () => reads };
}

describe('AbortSignal on calls', () => {
  it('an already aborted signal rejects with E_ABORTED, on the classifier and through the worker', async () => {
    const signal = AbortSignal.abort(new Error('user left the page'));
    const error = await rejectsWith(direct.logits(image(1), { signal }), 'E_ABORTED');
    expect(error.message).toBe('logits() was aborted (user left the page)');
    await rejectsWith(proxy.classify(image(1), { signal }), 'E_ABORTED');
  });

  it('a queued call whose signal fires rejects at once and never runs; the queue goes on', async () => {
    const running = direct.logits(image(2));
    const controller = new AbortController();
    const queued = watched(image(3));
    const aborted = direct.embed(queued.input, { signal: controller.signal });
    controller.abort();
    await rejectsWith(aborted, 'E_ABORTED');
    expect(await running).toHaveLength(1000);
    expect(await direct.logits(image(4))).toHaveLength(1000);
    expect(queued.reads()).toBe(0);
  });

  it('through the worker: the call rejects at once, and the worker still answers the next calls', async () => {
    const running = proxy.logits(image(5));
    const controller = new AbortController();
    const aborted = proxy.features(image(6), ['Mixed_5d'], { signal: controller.signal });
    controller.abort();
    await rejectsWith(aborted, 'E_ABORTED');
    expect(maxAbsDiff(await running, await direct.logits(image(5)))).toBe(0);
    expect(await proxy.embed(image(7))).toHaveLength(2048);
  });
});

describe('loading errors and the end of a worker', () => {
  it('rejects a missing model with the worker\'s E_MODEL_NOT_FOUND and terminates the worker', async () => {
    const failing = channelWorker();
    await rejectsWith(loadWorkerClassifier({ ...options, modelUrl: `${server.url}/model/missing.json`, worker: failing }), 'E_MODEL_NOT_FOUND');
    expect(failing.terminated).toBe(1);
  });

  it('refuses the fetch option, which cannot be posted', async () => {
    await rejectsWith(loadWorkerClassifier({ ...options, fetch } as LoadOptions), 'E_BAD_OPTION');
  });

  it('a worker error event rejects pending calls and later ones with E_WORKER', async () => {
    const crashing = channelWorker();
    const classifier = await loadWorkerClassifier({ ...options, warmup: false, worker: crashing });
    const input = image(7);
    const pending = classifier.logits(input);
    crashing.dispatchEvent(new Event('error'));
    await rejectsWith(pending, 'E_WORKER');
    await rejectsWith(classifier.logits(input), 'E_WORKER');
    expect(crashing.terminated).toBe(1);
    input.dispose();
  });

  it('dispose() terminates once, rejects pending calls, and later calls throw E_DISPOSED', async () => {
    const own = channelWorker();
    const classifier = await loadWorkerClassifier({ ...options, warmup: false, worker: own });
    const input = image(8);
    const pending = classifier.logits(input);
    classifier.dispose();
    classifier.dispose();
    expect(own.terminated).toBe(1);
    await rejectsWith(pending, 'E_DISPOSED');
    await rejectsWith(classifier.classify(input), 'E_DISPOSED');
    input.dispose();
  });
});

describe('fine-tuned models through the worker', () => {
  let dir: string;
  let finetuned: StaticServer;
  const load = (name: string) => loadWorkerClassifier({ modelUrl: `${finetuned.url}/${name}/model.json`, backend: 'wasm', cache: false, preprocess: 'none', warmup: false, worker: channelWorker() });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-worker-finetune-'));
    const mounts = { '/ft7/': await convertFinetuneCase('ft7', dir), '/embedding/': await convertFinetuneCase('embedding', dir) };
    finetuned = await startStaticServer({ mounts });
  }, 60_000);
  afterAll(async () => {
    await finetuned.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a 7-class model: the worker's predictions carry the class_to_idx labels and PyTorch's logits", async () => {
    const classifier = await load('ft7');
    const images = Array.from({ length: SEED_A.count }, (_, i) => tf.tensor3d(seedAPixels(i), [299, 299, 3]));
    const want = FINETUNE_CASES.ft7;
    expect(classifier.labels).toEqual(want.labels);
    const analyses = await classifier.analyze(images, { topK: 20 });
    for (const [i, { logits, predictions }] of analyses.entries()) {
      expect(maxAbsDiff(logits, want.logits?.[i] ?? [])).toBeLessThanOrEqual(1e-3);
      expect(predictions.map((p) => p.label)).toEqual(predictions.map((p) => want.labels[p.index]));
      expect(predictions).toHaveLength(7);
    }
    tf.dispose(images);
    classifier.dispose();
  }, 60_000);

  it('an embedding-only model: classify rejects with E_NO_CLASSIFIER across the wire; embed works', async () => {
    const classifier = await load('embedding');
    const input = tf.zeros([299, 299, 3]) as tf.Tensor3D;
    await rejectsWith(classifier.classify(input), 'E_NO_CLASSIFIER');
    expect(await classifier.embed(input)).toHaveLength(2048);
    input.dispose();
    classifier.dispose();
  }, 60_000);
});

/**
 * The whole worker protocol in Node, without a browser: loadWorkerClassifier() on one end of a
 * MessageChannel, exposeClassifier() on the other, the synthetic model over HTTP on wasm.
 */
import { MessageChannel } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/classifier.js';
import { loadClassifier } from '../../src/load-classifier.js';
import type { LoadOptions, LoadProgress } from '../../src/options.js';
import { exposeClassifier, type ClassifierEndpoint } from '../../src/worker/expose-classifier.js';
import { loadWorkerClassifier } from '../../src/worker/load-worker-classifier.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
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

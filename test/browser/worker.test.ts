/**
 * Worker mode in Chromium, on the harness Vite builds like a user's production app: the plain
 * API inside a worker, and loadWorkerClassifier() (the library's own bundled worker, or a user's
 * worker calling exposeClassifier()) giving the main-thread classifier's results without
 * blocking the page.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport } from '../../src/index.js';
import { openHarness, type HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';

const BASE = { modelUrl: '/models/synthetic/model.json', wasmPaths: '/wasm/', cache: false } as const;
const SIZE = { width: 320, height: 240 } as const;
/** Same backend, same pixels: the worker must reproduce the main thread's logits. */
const SAME_BACKEND = 1e-4;

interface PlainWorkerReply {
  readonly backendReport?: BackendReport;
  readonly logits?: Record<string, number[]>;
  readonly crossOriginIsolated?: boolean;
  readonly error?: string;
}

/** Runs test/browser/harness/plain-api-worker.ts in the page: loadClassifier() inside a worker. */
function runPlainApiWorker(session: HarnessSession, seed: number): Promise<PlainWorkerReply> {
  return session.page.evaluate(
    ({ options, size, seed }) =>
      new Promise<PlainWorkerReply>((resolve) => {
        const worker = window.workerFixtures.plainApiWorker();
        worker.onmessage = (event: MessageEvent<PlainWorkerReply>) => {
          worker.terminate();
          resolve(event.data);
        };
        worker.postMessage({ options, ...size, seed });
      }),
    { options: BASE, size: SIZE, seed },
  );
}

describe('in Chromium without a GPU (wasm in the page and in the worker)', () => {
  let session: HarnessSession;
  let load: { progress: { loadedBytes: number; totalBytes?: number }[]; main: BackendReport; proxy: BackendReport; labels: number; totalMs: number };

  beforeAll(async () => {
    session = await openHarness('wasm-only');
    load = await session.page.evaluate(async (base) => {
      const { sdk, workerFixtures: f } = window;
      const progress: { loadedBytes: number; totalBytes?: number }[] = [];
      f.classifiers.main = await sdk.loadClassifier(base);
      f.classifiers.proxy = await sdk.loadWorkerClassifier({ ...base, onProgress: (p) => progress.push({ loadedBytes: p.loadedBytes, totalBytes: p.totalBytes }) });
      const { main, proxy } = f.classifiers;
      return { progress, main: main.backendReport, proxy: proxy.backendReport, labels: proxy.labels.length, totalMs: proxy.timings.totalMs };
    }, BASE);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('the plain API works inside a worker on every input a worker has, on wasm (WebGPU and WebGL skipped)', async () => {
    const reply = await runPlainApiWorker(session, 1);
    expect(reply.error).toBeUndefined();
    expect(reply.backendReport?.backend).toBe('wasm');
    expect(reply.backendReport?.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(reply.crossOriginIsolated).toBe(false);
    const expected = await session.page.evaluate(async (size) => Array.from(await window.workerFixtures.classifiers.main!.logits(window.workerFixtures.patternPixels(size.width, size.height, 1))), SIZE);
    const logits = reply.logits ?? {};
    expect(Object.keys(logits).sort()).toEqual(['blob', 'imageBitmap', 'imageData', 'offscreenCanvas', 'tensor', 'url']);
    for (const [kind, values] of Object.entries(logits)) expect(maxAbsDiff(values, expected), kind).toBeLessThanOrEqual(SAME_BACKEND);
    // Not cross-origin isolated: the worker's WASM is the single-threaded build.
    expect(session.server.requests).toContain('/wasm/tfjs-backend-wasm-simd.wasm');
    expect(session.server.requests).not.toContain('/wasm/tfjs-backend-wasm-threaded-simd.wasm');
  });

  it('the proxy loads in the bundled worker: same backend report as the page, progress forwarded, metadata at hand', () => {
    expect(load.proxy).toEqual(load.main);
    expect(load.labels).toBe(1000);
    expect(load.totalMs).toBeGreaterThan(0);
    const last = load.progress.at(-1);
    expect(load.progress.length).toBeGreaterThan(1);
    expect(last?.loadedBytes).toBe(last?.totalBytes);
    expect(session.server.requests.some((path) => /^\/assets\/classifier-worker-[\w-]+\.js$/.test(path))).toBe(true);
  });

  it("gives the main thread's logits for every input type, leaving the caller's inputs usable", async () => {
    const result = await session.page.evaluate(async (size) => {
      const f = window.workerFixtures;
      const pixels = f.patternPixels(size.width, size.height, 2);
      const expected = Array.from(await f.classifiers.main!.logits(pixels));
      const inputs = await f.pageInputs(pixels);
      const logits: Record<string, number[]> = {};
      for (const [kind, input] of Object.entries(inputs)) logits[kind] = Array.from(await f.classifiers.proxy!.logits(input));
      const usable = {
        imageBitmap: (inputs.imageBitmap as ImageBitmap).width,
        imageData: (inputs.imageData as ImageData).data.length,
        videoFrame: (inputs.videoFrame as VideoFrame).displayWidth,
        tensor: !(inputs.tensor as tf.Tensor).isDisposed,
      };
      return { expected, logits, usable };
    }, SIZE);
    expect(Object.keys(result.logits).sort()).toEqual(['blob', 'canvas', 'image', 'imageBitmap', 'imageData', 'offscreenCanvas', 'tensor', 'url', 'videoFrame']);
    for (const [kind, values] of Object.entries(result.logits)) expect(maxAbsDiff(values, result.expected), kind).toBeLessThanOrEqual(SAME_BACKEND);
    expect(result.usable).toEqual({ imageBitmap: SIZE.width, imageData: SIZE.width * SIZE.height * 4, videoFrame: SIZE.width, tensor: true });
  });

  it('matches concurrent calls to their own replies', async () => {
    const result = await session.page.evaluate(async () => {
      const { main, proxy } = window.workerFixtures.classifiers;
      const [a, b, c] = [3, 4, 5].map((seed) => window.workerFixtures.patternPixels(200, 150, seed)) as [ImageData, ImageData, ImageData];
      const [logitsA, lists, embedC] = await Promise.all([proxy!.logits(a), proxy!.classify([b, c], { topK: 3 }), proxy!.embed(c)]);
      const expected = { logitsA: await main!.logits(a), lists: await main!.classify([b, c], { topK: 3 }), embedC: await main!.embed(c) };
      return { logitsA: Array.from(logitsA), lists, embedC: Array.from(embedC), expected: { ...expected, logitsA: Array.from(expected.logitsA), embedC: Array.from(expected.embedC) } };
    });
    expect(maxAbsDiff(result.logitsA, result.expected.logitsA)).toBeLessThanOrEqual(SAME_BACKEND);
    expect(maxAbsDiff(result.embedC, result.expected.embedC)).toBeLessThanOrEqual(SAME_BACKEND);
    expect(result.lists.map((list) => list.map((p) => p.index))).toEqual(result.expected.lists.map((list) => list.map((p) => p.index)));
    expect(result.lists[0]?.[0]?.probability).toBeCloseTo(result.expected.lists[0]?.[0]?.probability ?? -1, 5);
  });

  it("analyze in the worker gives the main thread's predictions, logits and embedding", async () => {
    const result = await session.page.evaluate(async () => {
      const { main, proxy } = window.workerFixtures.classifiers;
      const pixels = window.workerFixtures.patternPixels(200, 150, 6);
      const [inWorker, onMain] = [await proxy!.analyze([pixels], { topK: 3 }), await main!.analyze([pixels], { topK: 3 })];
      const plain = (a: (typeof inWorker)[number]) => ({ indices: a.predictions.map((p) => p.index), logits: Array.from(a.logits), embedding: Array.from(a.embedding) });
      return { inWorker: inWorker.map(plain), onMain: onMain.map(plain) };
    });
    const [inWorker, onMain] = [result.inWorker[0], result.onMain[0]];
    expect(inWorker?.indices).toEqual(onMain?.indices);
    expect(inWorker?.embedding).toHaveLength(2048);
    expect(maxAbsDiff(inWorker?.logits ?? [], onMain?.logits ?? [])).toBeLessThanOrEqual(SAME_BACKEND);
    expect(maxAbsDiff(inWorker?.embedding ?? [], onMain?.embedding ?? [])).toBeLessThanOrEqual(SAME_BACKEND);
  });

  it('errors arrive as RuntimeErrors with their code and the main-thread message', async () => {
    const errors = await session.page.evaluate(async (base) => {
      const { sdk, workerFixtures: f } = window;
      const { main, proxy } = f.classifiers;
      const pixels = f.patternPixels(64, 64, 6);
      const empty = document.createElement('canvas');
      empty.width = 0;
      return {
        unknownFeature: await f.errorOf(proxy!.features(pixels, ['nope'])),
        unknownFeatureMain: await f.errorOf(main!.features(pixels, ['nope'])),
        badOption: await f.errorOf(proxy!.classify(pixels, { topK: 0 })),
        emptyCanvas: await f.errorOf(proxy!.logits(empty)),
        missingImage: await f.errorOf(proxy!.logits('/no-such-image.png')),
        notAnImage: await f.errorOf(proxy!.logits(document.body as unknown as ImageData)),
        missingModel: await f.errorOf(sdk.loadWorkerClassifier({ ...base, modelUrl: '/models/none/model.json' })),
        origin: location.origin,
      };
    }, BASE);
    expect(errors.unknownFeature).toEqual(errors.unknownFeatureMain);
    expect(errors.unknownFeature).toMatchObject({ code: 'E_UNKNOWN_FEATURE', isRuntimeError: true });
    expect(errors.badOption).toMatchObject({ code: 'E_BAD_OPTION', isRuntimeError: true });
    expect(errors.emptyCanvas).toMatchObject({ code: 'E_EMPTY_IMAGE', isRuntimeError: true });
    // Relative URLs are resolved against the page, not the worker script's /assets/ folder.
    expect(errors.missingImage).toMatchObject({ code: 'E_INVALID_INPUT', message: expect.stringContaining(`${errors.origin}/no-such-image.png: HTTP 404`) });
    expect(errors.notAnImage).toMatchObject({ code: 'E_INVALID_INPUT', isRuntimeError: true });
    expect(errors.missingModel).toMatchObject({ code: 'E_MODEL_NOT_FOUND', isRuntimeError: true });
  });

  it("a user's own worker (exposeClassifier) works; dispose() terminates it once and later calls throw E_DISPOSED", async () => {
    const result = await session.page.evaluate(async (base) => {
      const { sdk, workerFixtures: f } = window;
      const worker = f.countTerminations(f.customWorker());
      const classifier = await sdk.loadWorkerClassifier({ ...base, warmup: false, worker });
      const pixels = f.patternPixels(100, 100, 7);
      const top = await classifier.classify(pixels, { topK: 2 });
      const expected = await f.classifiers.main!.classify(pixels, { topK: 2 });
      const pending = classifier.logits(pixels);
      classifier.dispose();
      classifier.dispose();
      return { top, expected, terminated: worker.terminated, pending: await f.errorOf(pending), after: await f.errorOf(classifier.logits(pixels)) };
    }, BASE);
    expect(result.top.map((p) => p.index)).toEqual(result.expected.map((p) => p.index));
    expect(result.terminated).toBe(1);
    expect(result.pending).toMatchObject({ code: 'E_DISPOSED', isRuntimeError: true });
    expect(result.after).toMatchObject({ code: 'E_DISPOSED', isRuntimeError: true });
  });

  it('a crashing worker rejects the pending call and later ones with E_WORKER; a worker that never starts fails the load', async () => {
    const result = await session.page.evaluate(async (base) => {
      const { sdk, workerFixtures: f } = window;
      const classifier = await sdk.loadWorkerClassifier({ ...base, worker: f.crashingWorker() });
      const pixels = f.patternPixels(32, 32, 8);
      const pending = await f.errorOf(classifier.logits(pixels));
      const later = await f.errorOf(classifier.logits(pixels));
      const missingScript = await f.errorOf(sdk.loadWorkerClassifier({ ...base, worker: new Worker('/no-such-worker.js', { type: 'module' }) }));
      return { pending, later, missingScript };
    }, BASE);
    expect(result.pending).toMatchObject({ code: 'E_WORKER', isRuntimeError: true, message: expect.stringContaining('boom') });
    expect(result.later).toMatchObject({ code: 'E_WORKER' });
    expect(result.missingScript).toMatchObject({ code: 'E_WORKER', isRuntimeError: true });
  });

  it("the load's signal stays on the page: aborting it ends the worker load with E_ABORTED", async () => {
    const result = await session.page.evaluate(async (base) => {
      const { sdk, workerFixtures: f } = window;
      const controller = new AbortController();
      const pending = f.errorOf(sdk.loadWorkerClassifier({ ...base, signal: controller.signal }));
      controller.abort();
      return { aborted: await pending, already: await f.errorOf(sdk.loadWorkerClassifier({ ...base, signal: AbortSignal.abort() })) };
    }, BASE);
    expect(result.aborted).toMatchObject({ code: 'E_ABORTED', isRuntimeError: true });
    expect(result.already).toMatchObject({ code: 'E_ABORTED', isRuntimeError: true });
  });

  it('keeps the main thread free while the worker classifies a batch: no long task, unlike on the main thread', async () => {
    const result = await session.page.evaluate(async (size) => {
      const f = window.workerFixtures;
      const { main, proxy } = f.classifiers;
      const batch = [11, 12, 13, 14].map((seed) => f.patternCanvas(f.patternPixels(size.width, size.height, seed)));
      const inWorker = await f.heartbeat(() => proxy!.classify(batch));
      const onMainThread = await f.heartbeat(() => main!.classify(batch));
      return { inWorker, onMainThread };
    }, SIZE);
    console.log(`main thread while classifying 4 images: in the worker ${JSON.stringify(result.inWorker)}; on the main thread ${JSON.stringify(result.onMainThread)}`);
    // No task of ours holds the main thread; the timer gap is not asserted on a hard bound because
    // it also counts time the OS gives the thread no core (a busy 2-core test machine: 100-300 ms).
    expect(result.inWorker.longTasksMs).toEqual([]);
    // The same measurement catches a blocked page: the main-thread classifier stalls it for the whole pass.
    expect(Math.max(...result.onMainThread.longTasksMs)).toBeGreaterThan(500);
    expect(result.inWorker.timerMaxGapMs).toBeLessThan(result.onMainThread.timerMaxGapMs / 4);
  });
});

describe('in a cross-origin-isolated page', () => {
  let session: HarnessSession;
  beforeAll(async () => {
    session = await openHarness('wasm-only', { crossOriginIsolated: true });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('the worker is cross-origin isolated too and gets the threaded WASM build', async () => {
    const reply = await runPlainApiWorker(session, 1);
    expect(reply.error).toBeUndefined();
    expect(reply.crossOriginIsolated).toBe(true);
    expect(reply.backendReport?.backend).toBe('wasm');
    expect(session.server.requests).toContain('/wasm/tfjs-backend-wasm-threaded-simd.wasm');
    expect(Object.values(reply.logits ?? {}).every((values) => values.length === 1000 && values.every(Number.isFinite))).toBe(true);
  });
});

describe('in Chromium with WebGL (SwiftShader)', () => {
  /** WebGL against wasm: different kernels, same float32 math; measured 1.1e-5 on SwiftShader. */
  const CROSS_BACKEND = 1e-4;
  let session: HarnessSession;
  beforeAll(async () => {
    session = await openHarness('webgl');
  });
  afterAll(async () => {
    await session?.close();
  });

  it('the worker runs WebGL through OffscreenCanvas and matches wasm on the main thread', async () => {
    const result = await session.page.evaluate(async ({ base, size }) => {
      const { sdk, workerFixtures: f } = window;
      const proxy = await sdk.loadWorkerClassifier({ ...base, backend: 'webgl', warmup: false, selfCheck: false });
      const main = await sdk.loadClassifier({ ...base, backend: 'wasm', warmup: false });
      const pixels = f.patternPixels(size.width, size.height, 9);
      const logits = Array.from(await proxy.logits(pixels));
      const expected = Array.from(await main.logits(pixels));
      proxy.dispose();
      main.dispose();
      return { report: proxy.backendReport, logits, expected };
    }, { base: BASE, size: SIZE });
    expect(result.report.backend).toBe('webgl');
    const diff = maxAbsDiff(result.logits, result.expected);
    console.log(`worker webgl vs main-thread wasm: max |Δlogit| = ${diff}`);
    expect(diff).toBeLessThanOrEqual(CROSS_BACKEND);
  }, 300_000);
});

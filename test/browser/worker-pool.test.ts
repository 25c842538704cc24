/**
 * loadWorkerPool() in Chromium without a GPU and without cross-origin isolation, on the harness
 * Vite builds like a user's app: the default size, single-threaded WASM in every worker, one
 * download for all of them, classifyMany's order across workers with a bad file among good ones,
 * a crashed worker replaced, and dispose() ending every worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport } from '../../src/index.js';
import { openHarness, type HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';

const MODEL = { modelUrl: '/models/synthetic/model.json', wasmPaths: '/wasm/' } as const;
/** Same backend, same pixels: a pool worker must reproduce the page's own logits. */
const SAME_BACKEND = 1e-4;
const IMAGES = 5;

describe('a worker pool in Chromium (wasm, not cross-origin isolated)', () => {
  let session: HarnessSession;
  let loaded: { size: number; expectedSize: number; report: BackendReport; workers: number; shardRequests: number };

  beforeAll(async () => {
    session = await openHarness('wasm-only');
    const before = session.page.workers().length;
    loaded = await session.page.evaluate(async (model) => {
      const { sdk, workerFixtures: f } = window;
      const pool = await sdk.loadWorkerPool(model);
      f.classifiers.pool = pool;
      // The same formula as the library's, from what this browser reports.
      const { maxSize, memoryBudgetFraction, workerMegabytes } = sdk.POOL_DEFAULTS;
      const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
      const byMemory = memory === undefined ? Infinity : Math.floor((memory * 1024 * memoryBudgetFraction) / workerMegabytes.float32);
      const expectedSize = Math.max(1, Math.min(navigator.hardwareConcurrency, maxSize, byMemory));
      return { size: pool.size, expectedSize, report: pool.backendReport, workers: 0, shardRequests: 0 };
    }, MODEL);
    loaded.workers = session.page.workers().length - before;
    loaded.shardRequests = session.server.requests.filter((path) => path.startsWith('/models/synthetic/group1-shard1of')).length;
    // The page's own classifier, to compare with: loaded after counting the pool's requests.
    await session.page.evaluate(async (model) => {
      window.workerFixtures.classifiers.main = await window.sdk.loadClassifier({ ...model, cache: false });
    }, MODEL);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });

  it('sizes itself from the cores and memory, runs single-threaded WASM in each worker, and downloads the model once', () => {
    expect(loaded.size).toBe(loaded.expectedSize);
    // This machine has 2 cores: the pool must really be several workers.
    expect(loaded.size).toBeGreaterThanOrEqual(2);
    expect(loaded.workers).toBe(loaded.size);
    expect(loaded.report.backend).toBe('wasm');
    expect(loaded.report.wasmThreads).toBe(1);
    expect(session.server.requests).not.toContain('/wasm/tfjs-backend-wasm-threaded-simd.wasm');
    // The first worker fills the Cache API; the others read the model from it.
    expect(loaded.shardRequests).toBe(1);
  });

  it('classifyMany yields every image in input order across the workers, a bad file as its own error, with progress', async () => {
    const run = await session.page.evaluate(async (count) => {
      const { pool, main } = window.workerFixtures.classifiers;
      const images: (ImageData | Blob)[] = Array.from({ length: count }, (_, i) => window.workerFixtures.patternPixels(160 + i * 8, 120, 10 + i));
      images.splice(2, 0, new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }));
      const expected: number[][] = [];
      for (const image of images) if (image instanceof ImageData) expected.push(Array.from(await main!.logits(image)));
      const results: { index: number; ok: boolean; code?: string; logits?: number[] }[] = [];
      const progress: { done: number; failed: number; total?: number }[] = [];
      for await (const r of pool!.classifyMany(images, { embeddings: true, onProgress: ({ done, failed, total }) => progress.push({ done, failed, total }) })) {
        results.push(r.ok ? { index: r.index, ok: true, logits: Array.from(r.logits ?? []) } : { index: r.index, ok: false, code: r.error.code });
      }
      return { results, expected, progress };
    }, IMAGES);
    expect(run.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(run.results.map((r) => r.ok)).toEqual([true, true, false, true, true, true]);
    expect(run.results[2]?.code).toBe('E_DECODE_FAILED');
    const good = run.results.filter((r) => r.ok);
    good.forEach((r, i) => expect(maxAbsDiff(r.logits ?? [], run.expected[i] ?? []), `image ${r.index}`).toBeLessThanOrEqual(SAME_BACKEND));
    expect(run.progress.at(-1)).toEqual({ done: 6, failed: 1, total: 6 });
  });

  it('one bad image fails only its own call; a batch comes back in order', async () => {
    const outcome = await session.page.evaluate(async () => {
      const { pool, main } = window.workerFixtures.classifiers;
      const [a, b, c, d] = [1, 2, 3, 4].map((seed) => window.workerFixtures.patternPixels(200, 150, seed)) as [ImageData, ImageData, ImageData, ImageData];
      const calls = await Promise.allSettled([pool!.classify(a), pool!.classify(new Blob(['not an image'])), pool!.classify(b)]);
      const batch = (await pool!.logits([a, b, c, d])).map((row) => Array.from(row));
      const expected = (await main!.logits([a, b, c, d])).map((row) => Array.from(row));
      return { statuses: calls.map((call) => call.status), code: calls[1]?.status === 'rejected' ? (calls[1].reason as { code?: string }).code : undefined, batch, expected };
    });
    expect(outcome.statuses).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcome.code).toBe('E_DECODE_FAILED');
    outcome.batch.forEach((row, i) => expect(maxAbsDiff(row, outcome.expected[i] ?? []), `image ${i}`).toBeLessThanOrEqual(SAME_BACKEND));
  });

  it('dispose() ends every worker; later calls throw E_DISPOSED', async () => {
    const before = session.page.workers().length;
    const error = await session.page.evaluate(async () => {
      const { pool } = window.workerFixtures.classifiers;
      pool!.dispose();
      return window.workerFixtures.errorOf(pool!.classify(window.workerFixtures.patternPixels(50, 50, 1)));
    });
    expect(error?.code).toBe('E_DISPOSED');
    await expect.poll(() => before - session.page.workers().length).toBe(loaded.size);
  });

  it("createWorker starts each worker from the app's own script; dispose() terminates each one", async () => {
    const run = await session.page.evaluate(async (model) => {
      const f = window.workerFixtures;
      const started: (Worker & { terminated: number })[] = [];
      const pool = await window.sdk.loadWorkerPool({ ...model, size: 2, createWorker: () => started[started.push(f.countTerminations(f.customWorker())) - 1] as Worker });
      const [top] = await pool.classify(f.patternPixels(64, 64, 1), { topK: 1 });
      pool.dispose();
      return { size: pool.size, started: started.length, terminated: started.map((w) => w.terminated), top: top?.index };
    }, MODEL);
    expect(run).toMatchObject({ size: 2, started: 2, terminated: [1, 1] });
    expect(run.top).toBeTypeOf('number');
  });

  it('replaces a worker that crashes: its call fails with E_WORKER, the pool answers on with a new worker', async () => {
    const run = await session.page.evaluate(async (model) => {
      const f = window.workerFixtures;
      const started: (Worker & { terminated: number })[] = [];
      const sent: number[] = [];
      // The first worker crashes at its first call; the second and the replacement are real.
      // Each counts the messages the pool posts it (its load, then its calls).
      const createWorker = () => {
        const worker = f.countTerminations(started.length === 0 ? f.crashingWorker() : f.customWorker());
        const [index, post] = [started.push(worker) - 1, worker.postMessage.bind(worker)];
        sent[index] = 0;
        worker.postMessage = ((message: unknown, transfer: Transferable[]) => {
          sent[index] = (sent[index] ?? 0) + 1;
          post(message, transfer);
        }) as Worker['postMessage'];
        return worker;
      };
      const pool = await window.sdk.loadWorkerPool({ ...model, size: 2, createWorker });
      const crash = await f.errorOf(pool.logits(f.patternPixels(32, 32, 1)));
      // Batches of two go one image to each worker once the replacement has loaded.
      const rows: number[] = [];
      for (let round = 0; round < 100 && (sent[2] ?? 0) < 2; round++) {
        rows.push(...(await pool.logits([f.patternPixels(32, 32, 2), f.patternPixels(32, 32, 3)])).map((row) => row.length));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const result = { crash, size: pool.size, started: started.length, callsToReplacement: (sent[2] ?? 0) - 1, rows: [...new Set(rows)] };
      pool.dispose();
      return { ...result, terminated: started.map((w) => w.terminated) };
    }, MODEL);
    expect(run.crash).toMatchObject({ code: 'E_WORKER', isRuntimeError: true, message: expect.stringContaining('boom') });
    expect(run).toMatchObject({ size: 2, started: 3, rows: [1000], terminated: [1, 1, 1] });
    expect(run.callsToReplacement).toBeGreaterThanOrEqual(1);
  });
});

/** The pool's dispatch (src/worker/worker-pool.ts) over fake workers, its default size and its options. */
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../shared/errors.js';
import type { Classifier } from '../../src/classifier.js';
import type { ImageInput } from '../../src/input/image-input.js';
import { POOL_DEFAULTS, resolvePoolOptions } from '../../src/options.js';
import { defaultPoolSize } from '../../src/worker/pool-size.js';
import { WorkerPoolClassifier } from '../../src/worker/worker-pool.js';

/** A stand-in worker: logits() answers [worker id, image number] after `ms`; 'bad' inputs fail, 'crash' kills it (E_WORKER). */
function fakeWorker(id: number, ms: number) {
  const log: string[][] = [];
  let disposed = false;
  const answer = async (image: ImageInput) => {
    if (image === 'bad') throw new RuntimeError('E_DECODE_FAILED', 'bad image');
    if (image === 'crash') throw new RuntimeError('E_WORKER', 'the classifier worker crashed (boom)');
    return new Float32Array([id, Number(image)]);
  };
  const logits = async (input: ImageInput | readonly ImageInput[]) => {
    if (disposed) throw new RuntimeError('E_DISPOSED', 'worker disposed');
    log.push([input].flat().map(String));
    await new Promise((resolve) => setTimeout(resolve, ms));
    return Array.isArray(input) ? Promise.all(input.map(answer)) : answer(input as ImageInput);
  };
  const classifier = { logits, dispose: () => (disposed = true) } as unknown as Classifier;
  return { classifier, log, isDisposed: () => disposed };
}

describe('WorkerPoolClassifier', () => {
  it('sends each single-image call to the least busy worker', async () => {
    const workers = [fakeWorker(0, 30), fakeWorker(1, 5)];
    const pool = new WorkerPoolClassifier(workers.map((w) => w.classifier));
    // 0 goes to worker 0 (both idle), 1 to worker 1; once worker 1 is free again it takes 2.
    const first = [pool.logits('0'), pool.logits('1')];
    await first[1];
    const third = await pool.logits('2');
    await Promise.all(first);
    expect(workers[0]?.log).toEqual([['0']]);
    expect(workers[1]?.log).toEqual([['1'], ['2']]);
    expect(Array.from(third)).toEqual([1, 2]);
  });

  it('splits a batch over the workers and returns the results in input order', async () => {
    const workers = [fakeWorker(0, 10), fakeWorker(1, 1), fakeWorker(2, 5)];
    const pool = new WorkerPoolClassifier(workers.map((w) => w.classifier));
    const images = ['0', '1', '2', '3', '4', '5', '6'];
    const rows = await pool.logits(images);
    expect(rows.map((row) => row[1])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(workers.map((w) => w.log)).toEqual([[['0', '1']], [['2', '3']], [['4', '5', '6']]]);
    expect(await pool.logits([])).toEqual([]);
  });

  it('one bad image fails only its own call', async () => {
    const pool = new WorkerPoolClassifier([fakeWorker(0, 1).classifier, fakeWorker(1, 1).classifier]);
    const calls = await Promise.allSettled([pool.logits('1'), pool.logits('bad'), pool.logits('3')]);
    expect(calls.map((c) => c.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((calls[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'E_DECODE_FAILED' });
  });

  it('replaces a crashed worker: its call fails with E_WORKER, later calls go to the others and to the new one', async () => {
    const workers = [fakeWorker(0, 1), fakeWorker(1, 1)];
    const restarted = [fakeWorker(2, 1)];
    let restarts = 0;
    const pool = new WorkerPoolClassifier(
      workers.map((w) => w.classifier),
      async () => (restarted[restarts++] as ReturnType<typeof fakeWorker>).classifier,
    );
    await expect(pool.logits('crash')).rejects.toMatchObject({ code: 'E_WORKER' });
    expect(workers[0]?.isDisposed()).toBe(true);
    expect(restarts).toBe(1);
    const rows = await Promise.all([pool.logits('1'), pool.logits('2')]);
    expect(rows.map((row) => row[0]).sort()).toEqual([1, 2]);
    expect(pool.size).toBe(2);
  });

  it('waits for the replacement when every worker crashed, and says why when none could be restarted', async () => {
    const replacement = fakeWorker(7, 1);
    const waits = new WorkerPoolClassifier([fakeWorker(0, 1).classifier], () => new Promise((resolve) => setTimeout(() => resolve(replacement.classifier), 20)));
    await expect(waits.logits('crash')).rejects.toMatchObject({ code: 'E_WORKER' });
    expect(Array.from(await waits.logits('5'))).toEqual([7, 5]);

    const fails = new WorkerPoolClassifier([fakeWorker(0, 1).classifier], () => Promise.reject(new RuntimeError('E_WORKER', 'no Web Workers here')));
    await expect(fails.logits('crash')).rejects.toMatchObject({ code: 'E_WORKER' });
    await expect(fails.logits('5')).rejects.toMatchObject({ code: 'E_WORKER', message: expect.stringContaining('none could be restarted: no Web Workers here') });
  });

  it('disposes a replacement that loads after the pool was disposed', async () => {
    const replacement = fakeWorker(3, 1);
    let loaded!: (classifier: Classifier) => void;
    const pool = new WorkerPoolClassifier([fakeWorker(0, 1).classifier, fakeWorker(1, 1).classifier], () => new Promise((resolve) => (loaded = resolve)));
    await expect(pool.logits('crash')).rejects.toMatchObject({ code: 'E_WORKER' });
    pool.dispose();
    loaded(replacement.classifier);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(replacement.isDisposed()).toBe(true);
  });

  it('dispose() ends every worker, is idempotent, and later calls throw E_DISPOSED', async () => {
    const workers = [fakeWorker(0, 1), fakeWorker(1, 1)];
    const pool = new WorkerPoolClassifier(workers.map((w) => w.classifier));
    pool.dispose();
    pool.dispose();
    expect(workers.map((w) => w.isDisposed())).toEqual([true, true]);
    await expect(pool.logits('1')).rejects.toMatchObject({ code: 'E_DISPOSED', message: expect.stringContaining('loadWorkerPool()') });
    await expect(pool.logits(['1', '2'])).rejects.toMatchObject({ code: 'E_DISPOSED' });
  });
});

describe('defaultPoolSize', () => {
  const perWorkerMb = POOL_DEFAULTS.workerMegabytes.float32;
  it('is one worker per core, capped at POOL_DEFAULTS.maxSize', () => {
    expect(defaultPoolSize({ hardwareConcurrency: 2 }, 'float32')).toBe(2);
    expect(defaultPoolSize({ hardwareConcurrency: 16 }, 'float32')).toBe(POOL_DEFAULTS.maxSize);
    expect(defaultPoolSize({}, 'float32')).toBe(1);
  });

  it('fits the memory budget: a quarter of deviceMemory at the measured MB per worker, at least 1', () => {
    const budgetMb = 2 * 1024 * POOL_DEFAULTS.memoryBudgetFraction;
    expect(defaultPoolSize({ hardwareConcurrency: 8, deviceMemory: 2 }, 'float32')).toBe(Math.max(1, Math.min(POOL_DEFAULTS.maxSize, Math.floor(budgetMb / perWorkerMb))));
    expect(defaultPoolSize({ hardwareConcurrency: 8, deviceMemory: 0.25 }, 'float32')).toBe(1);
    expect(defaultPoolSize({ hardwareConcurrency: 8, deviceMemory: 8 }, 'uint8')).toBe(POOL_DEFAULTS.maxSize);
  });
});

describe('resolvePoolOptions', () => {
  it('defaults to single-threaded WASM and keeps what the caller chose', () => {
    expect(resolvePoolOptions({ modelUrl: '/m/model.json' })).toMatchObject({ backend: 'wasm', wasmThreads: 1 });
    expect(resolvePoolOptions({ modelUrl: '/m/model.json', backend: 'webgl', wasmThreads: 2 })).toMatchObject({ backend: 'webgl', wasmThreads: 2 });
  });

  it('rejects a size that is not a positive integer, and the load options loadClassifier rejects', () => {
    for (const size of [0, -2, 1.5, Number.NaN]) {
      expect(() => resolvePoolOptions({ modelUrl: '/m/model.json', size }), String(size)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION', message: expect.stringContaining('size') }));
    }
    expect(() => resolvePoolOptions({ modelUrl: '' })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
  });
});

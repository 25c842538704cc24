// The demo's Engine with a fake loadWorkerClassifier: a batch runs alongside later uses, and a
// backend switch waits for the batches started before it, never for one queued behind it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Classifier } from '../../src/index.js';

vi.mock('../../demo/wasm-paths.js', () => ({ WASM_PATHS: {} }));
vi.mock('../../src/index.js', async (original) => ({
  ...(await original<typeof import('../../src/index.js')>()),
  loadWorkerClassifier: vi.fn(({ backend }: { backend: string }) => Promise.resolve({ backend, dispose: vi.fn() })),
}));
const { Engine } = await import('../../demo/engine.js');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Whether `promise` has settled after the queued callbacks ran. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  return settled;
}

const noProgress = () => undefined;

describe('demo: engine', () => {
  beforeAll(() => vi.stubGlobal('navigator', { hardwareConcurrency: 2 }));
  afterAll(() => vi.unstubAllGlobals());

  it('runs a batch alongside the uses after it, and a backend switch waits for the batch before disposing its classifier', async () => {
    const engine = new Engine();
    const first = await engine.load('/model.json', 'wasm', noProgress);
    const batchDone = deferred();
    const batch = engine.alongside(async (classifier) => {
      await batchDone.promise;
      return classifier.backend;
    });
    // Teaching (a use) goes on while the batch runs.
    await expect(engine.use(async (classifier) => classifier.backend)).resolves.toBe('wasm');

    const second = engine.load('/model.json', 'webgl', noProgress);
    expect(await isSettled(second)).toBe(false);
    expect(first.dispose).not.toHaveBeenCalled();
    batchDone.resolve();
    await expect(batch).resolves.toBe('wasm');
    expect((await second).backend).toBe('webgl');
    expect(first.dispose).toHaveBeenCalledOnce();
  });

  it('runs a batch queued behind a load on the new classifier (the load does not wait for it)', async () => {
    const engine = new Engine();
    await engine.load('/model.json', 'wasm', noProgress);
    const teaching = deferred();
    void engine.use(() => teaching.promise);
    const load = engine.load('/model.json', 'webgl', noProgress);
    // Were the load to wait for this batch, both would hang (hence the short timeout).
    const batch = engine.alongside(async (classifier: Classifier) => classifier.backend);
    teaching.resolve();
    expect((await load).backend).toBe('webgl');
    await expect(batch).resolves.toBe('webgl');
  }, 5_000);

  it('fails a batch when no model is loaded', async () => {
    await expect(new Engine().alongside(async () => 'ran')).rejects.toThrow(/no model is loaded/);
  });
});

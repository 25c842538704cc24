import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../src/load-classifier.js';
import type { LoadOptions } from '../../src/options.js';
import { rejectsWith } from './expect-error.js';
import { WEIGHT_COUNT } from '../../tools/models/fake-model.js';
import { serveFakeModelEachTest } from './model-server.js';

const ctx = serveFakeModelEachTest();

const shardPath = '/model/group1-shard2of3.bin';
const stallShard = () => ctx.server.handlers.set(shardPath, (_req, res) => res.writeHead(200, { 'content-length': 200_000 }).write(Buffer.alloc(10)));
// The fake model's graph is y = x + w over WEIGHT_COUNT values: no image warm-up for it.
const load = (extra: Partial<LoadOptions> = {}) => loadClassifier({ modelUrl: ctx.server.modelUrl, backend: 'cpu', cache: false, warmup: false, ...extra });

describe('loadClassifier: signal and stall timeout', () => {
  it('loads the model with them set (they change nothing when unused)', async () => {
    const classifier = await load({ signal: new AbortController().signal, stallTimeoutMs: 5000 });
    expect(classifier.metadata.embeddingSize).toBe(WEIGHT_COUNT);
    classifier.dispose();
  });

  it('a shard that stalls → E_TIMEOUT naming the shard URL, after stallTimeoutMs', async () => {
    stallShard();
    const start = performance.now();
    const error = await rejectsWith(load({ stallTimeoutMs: 300 }), 'E_TIMEOUT');
    expect(error.message).toContain(`${ctx.server.origin}${shardPath}`);
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('an abort mid-download → E_ABORTED naming the model', async () => {
    stallShard();
    const controller = new AbortController();
    const pending = load({ signal: controller.signal, onProgress: (p) => p.loadedBytes > 0 && controller.abort() });
    const error = await rejectsWith(pending, 'E_ABORTED');
    expect(error.message).toContain(ctx.server.modelUrl);
  });

  it('an already-aborted signal → E_ABORTED, and no request is made', async () => {
    await rejectsWith(load({ signal: AbortSignal.abort() }), 'E_ABORTED');
    expect(ctx.server.requests).toEqual([]);
  });

  it.each([0, -1, Number.NaN, '5000'])('stallTimeoutMs %s → E_BAD_OPTION', async (stallTimeoutMs) => {
    await rejectsWith(load({ stallTimeoutMs: stallTimeoutMs as number }), 'E_BAD_OPTION');
  });

  it('a signal that is not an AbortSignal → E_BAD_OPTION', async () => {
    await rejectsWith(load({ signal: { aborted: false } as AbortSignal }), 'E_BAD_OPTION');
  });

  it.each([['https://cdn.example.com/models/'], [42]])('allowedOrigins [%s] (not an origin) → E_BAD_OPTION', async (origin) => {
    await rejectsWith(load({ allowedOrigins: [origin as string] }), 'E_BAD_OPTION');
  });
});

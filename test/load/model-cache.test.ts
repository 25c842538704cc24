import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearModelCache } from '../../src/load/clear-model-cache.js';
import { fetchModel, type FetchModelOptions } from '../../src/load/fetch-model.js';
import { defaultModelCache, modelJsonCacheKey, shardCacheKey, type ModelCache } from '../../src/load/model-cache.js';
import { memoryModelCache } from './memory-model-cache.js';
import type { LoadProgress } from '../../src/options.js';
import { rejectsWith } from './expect-error.js';
import { fakeModel, weights, type FakeModel } from '../../tools/models/fake-model.js';
import { startModelServer, type ModelServer } from './model-server.js';

let server: ModelServer;
let model: FakeModel;
let cache: ReturnType<typeof memoryModelCache>;

beforeEach(async () => {
  server = await startModelServer();
  model = fakeModel();
  server.serve(model);
  cache = memoryModelCache();
});

afterEach(() => server.close());

const load = (extra: Partial<FetchModelOptions> = {}) =>
  fetchModel({ modelUrl: server.modelUrl, cache: true, verifyIntegrity: true, cacheBackend: cache, ...extra });

const shardName = (index: number) => `group1-shard${index + 1}of3.bin`;
const shardSha = (m: FakeModel, index: number) => m.metadata.weights.shards[index]!.sha256;
const allKeys = (m: FakeModel) => [modelJsonCacheKey(server.modelUrl), ...m.metadata.weights.shards.map((s) => shardCacheKey(s.sha256))];

function corruptShard(index: number): void {
  const bad = Buffer.from(model.shards.get(shardName(index))!);
  bad[7] = ~bad[7]!;
  server.files.set(`/model/${shardName(index)}`, bad);
}

describe('fetchModel with a cache', () => {
  it('caches model.json and every shard; the second load makes no request at all', async () => {
    const first = await load();
    expect(cache.keys().sort()).toEqual(allKeys(model).sort());
    server.requests.length = 0;
    const events: LoadProgress[] = [];
    const second = await load({ onProgress: (p) => events.push(p) });
    expect(server.requests).toEqual([]);
    expect(second.fromCache).toBe(true);
    expect(second.metadata).toEqual(first.metadata);
    const shardsOf = (m: typeof first) => (m.artifacts.weightData as ArrayBuffer[]).map((b) => Buffer.from(b));
    expect(Buffer.concat(shardsOf(second)).equals(Buffer.concat(shardsOf(first)))).toBe(true);
    expect(events.every((e) => e.fromCache)).toBe(true);
    expect(events.at(-1)?.loadedBytes).toBe(model.totalBytes);
  });

  it('caches nothing of a model with a corrupted shard, but keeps verified shards so a retry resumes', async () => {
    corruptShard(1);
    // Answer late, so the other shards are already in when the failure aborts the load.
    const corrupt = server.files.get(`/model/${shardName(1)}`)!;
    server.handlers.set(`/model/${shardName(1)}`, (_req, res) => setTimeout(() => res.end(corrupt), 200));
    await rejectsWith(load(), 'E_INTEGRITY');
    expect(cache.keys().sort()).toEqual([shardCacheKey(shardSha(model, 0)), shardCacheKey(shardSha(model, 2))].sort());
    server.handlers.clear();
    server.serve(model);
    server.requests.length = 0;
    const retry = await load();
    expect(retry.fromCache).toBe(false);
    expect(server.requests).toEqual(['/model/model.json', `/model/${shardName(1)}`]);
    expect(cache.keys().sort()).toEqual(allKeys(model).sort());
  });

  it('evicts a cached shard that fails its hash and fetches it again', async () => {
    await load();
    const bad = new Uint8Array(model.shards.get(shardName(2))!);
    bad[0] = ~bad[0]!;
    await cache.put(shardCacheKey(shardSha(model, 2)), bad.slice().buffer);
    server.requests.length = 0;
    const reloaded = await load();
    expect(server.requests).toEqual([`/model/${shardName(2)}`]);
    expect(reloaded.fromCache).toBe(false);
    const recached = Buffer.from((await cache.get(shardCacheKey(shardSha(model, 2))))!);
    expect(recached.equals(model.shards.get(shardName(2))!)).toBe(true);
  });

  it('with verifyIntegrity off, still evicts a cached shard of the wrong length', async () => {
    await load();
    await cache.put(shardCacheKey(shardSha(model, 0)), new ArrayBuffer(10));
    server.requests.length = 0;
    await load({ verifyIntegrity: false });
    expect(server.requests).toEqual([`/model/${shardName(0)}`]);
  });

  it('with verifyIntegrity off, still hashes a shard before caching it under its hash', async () => {
    corruptShard(0);
    await rejectsWith(load({ verifyIntegrity: false }), 'E_INTEGRITY');
    expect(cache.keys()).not.toContain(shardCacheKey(shardSha(model, 0)));
    expect(cache.keys()).not.toContain(modelJsonCacheKey(server.modelUrl));
  });

  it('serves a replaced model from the cache until asked to revalidate, then fetches only what changed', async () => {
    await load();
    const changed = weights.slice();
    changed[60_000] = 42; // inside shard 2 only
    const replacement = fakeModel(changed);
    server.serve(replacement);
    server.requests.length = 0;
    expect((await load()).metadata).toEqual(model.metadata);
    expect(server.requests).toEqual([]);

    const revalidated = await load({ revalidate: true });
    expect(revalidated.metadata).toEqual(replacement.metadata);
    expect(server.requests).toEqual(['/model/model.json', `/model/${shardName(1)}`]);
    // The old shard 2 was evicted with the model it belonged to; nothing else is left behind.
    expect(cache.keys().sort()).toEqual(allKeys(replacement).sort());
  });

  it('still loads when the cache fails, caching model.json only if every shard was stored', async () => {
    const quotaOnShard1: ModelCache = {
      ...cache,
      put: (key, data) => (key === shardCacheKey(shardSha(model, 0)) ? Promise.reject(new Error('QuotaExceededError')) : cache.put(key, data)),
    };
    await load({ cacheBackend: quotaOnShard1 });
    expect(cache.keys()).not.toContain(modelJsonCacheKey(server.modelUrl));

    const closed = () => Promise.reject(new Error('database closed'));
    const broken: ModelCache = { get: closed, put: closed, delete: closed, clear: closed };
    expect((await load({ cacheBackend: broken })).fromCache).toBe(false);
  });

  it('ignores the cache when cache is false', async () => {
    await load({ cache: false });
    expect(cache.keys()).toEqual([]);
  });
});

describe('clearModelCache', () => {
  it('evicts one model (model.json and its shards) by URL, or everything', async () => {
    await load();
    await cache.put('other', new ArrayBuffer(1));
    await clearModelCache(`${server.origin}/model/`, cache);
    expect(cache.keys()).toEqual(['other']);
    await clearModelCache(undefined, cache);
    expect(cache.keys()).toEqual([]);
  });

  it('has no backend in Node, where the cache option is a no-op', async () => {
    expect(defaultModelCache()).toBeUndefined();
    await clearModelCache();
    await fetchModel({ modelUrl: server.modelUrl, cache: true, verifyIntegrity: true });
    await fetchModel({ modelUrl: server.modelUrl, cache: true, verifyIntegrity: true });
    expect(server.requests.filter((r) => r.endsWith('model.json'))).toHaveLength(2);
  });
});

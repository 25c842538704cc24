import type { ShardRecord } from '../../shared/model-metadata.js';
import { readEntry, removeEntry, writeEntry } from './cached-model.js';
import { fetchOk, readExactBody } from './fetch-resource.js';
import { shardCacheKey, type ModelCache } from './model-cache.js';
import { shardUrl } from './model-url.js';
import { integrityError, shardMismatch } from './verify-shard.js';

export interface ShardSource {
  readonly modelJsonUrl: string;
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal;
  readonly cache: ModelCache | undefined;
  readonly verifyIntegrity: boolean;
  readonly onBytes: (count: number, fromCache: boolean) => void;
  readonly onHashed: (ms: number) => void;
}

export interface LoadedShard {
  readonly data: ArrayBuffer;
  readonly fromCache: boolean;
  /** The shard is in the cache now (read from it, or stored into it). */
  readonly cached: boolean;
}

/** One verified shard: from the cache when it holds a good copy, else from the network. */
export async function loadShard(shard: ShardRecord, source: ShardSource): Promise<LoadedShard> {
  source.signal.throwIfAborted();
  return (await fromCache(shard, source)) ?? (await fromNetwork(shard, source));
}

async function timedMismatch(data: Uint8Array<ArrayBuffer>, shard: ShardRecord, checkHash: boolean, source: ShardSource) {
  const start = performance.now();
  try {
    return await shardMismatch(data, shard, checkHash);
  } finally {
    source.onHashed(performance.now() - start);
  }
}

/** A cached copy that fails its check is evicted and reads as a miss: it is never used. */
async function fromCache(shard: ShardRecord, source: ShardSource): Promise<LoadedShard | undefined> {
  if (!source.cache) return undefined;
  const key = shardCacheKey(shard.sha256);
  const data = await readEntry(source.cache, key);
  if (!data) return undefined;
  if (await timedMismatch(new Uint8Array(data), shard, source.verifyIntegrity, source)) {
    await removeEntry(source.cache, key);
    return undefined;
  }
  source.onBytes(data.byteLength, true);
  return { data, fromCache: true, cached: true };
}

async function fromNetwork(shard: ShardRecord, source: ShardSource): Promise<LoadedShard> {
  const url = shardUrl(source.modelJsonUrl, shard.path);
  const response = await fetchOk(url, `weight shard ${shard.path}`, source.fetch, source.signal);
  const bytes = await readExactBody(response, shard.bytes, {
    signal: source.signal,
    onBytes: (count) => source.onBytes(count, false),
    fail: (found, cause) => integrityError(shard, url, found, cause),
  });
  // A cache entry keyed by SHA-256 must hold exactly those bytes, so a shard headed for the cache
  // is hashed even with verifyIntegrity off; otherwise one bad download would be served forever.
  const found = await timedMismatch(bytes, shard, source.verifyIntegrity || source.cache !== undefined, source);
  if (found) throw integrityError(shard, url, found);
  const cached = source.cache !== undefined && (await writeEntry(source.cache, shardCacheKey(shard.sha256), bytes.buffer));
  return { data: bytes.buffer, fromCache: false, cached };
}

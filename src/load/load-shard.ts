import { RuntimeError } from '../../shared/errors.js';
import type { ShardRecord } from '../../shared/model-metadata.js';
import { readEntry, removeEntry, writeEntry } from './cached-model.js';
import { fetchOk, readExactBody } from './fetch-resource.js';
import { shardCacheKey, type ModelCache } from './model-cache.js';
import { checkShardLocation, type ShardPolicy } from './shard-location.js';
import { watchStalls } from './stall-watch.js';
import { integrityError, shardMismatch } from './verify-shard.js';

export interface ShardSource {
  /** Where shards may come from, redirects included. */
  readonly policy: ShardPolicy;
  readonly stallTimeoutMs: number;
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

/** One verified shard, from `url` (already checked against the policy) unless the cache holds a good copy. */
export async function loadShard(shard: ShardRecord, url: string, source: ShardSource): Promise<LoadedShard> {
  source.signal.throwIfAborted();
  return (await fromCache(shard, source)) ?? (await fromNetwork(shard, url, source));
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

async function fromNetwork(shard: ShardRecord, url: string, source: ShardSource): Promise<LoadedShard> {
  const watch = watchStalls(url, `weight shard ${shard.path}`, source.stallTimeoutMs, source.signal);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const response = await fetchOk(url, `weight shard ${shard.path}`, policedFetch(source.fetch, shard.path, source.policy), watch.signal);
    watch.touch();
    await refuseRedirectAway(response, url, shard, source.policy);
    bytes = await readExactBody(response, shard.bytes, {
      signal: watch.signal,
      onBytes: (count) => {
        watch.touch();
        source.onBytes(count, false);
      },
      fail: (found, cause) => integrityError(shard, url, found, cause),
    });
  } finally {
    watch.done();
  }
  // A cache entry keyed by SHA-256 must hold exactly those bytes, so a shard headed for the cache
  // is hashed even with verifyIntegrity off; otherwise one bad download would be served forever.
  const found = await timedMismatch(bytes, shard, source.verifyIntegrity || source.cache !== undefined, source);
  if (found) throw integrityError(shard, url, found);
  const cached = source.cache !== undefined && (await writeEntry(source.cache, shardCacheKey(shard.sha256), bytes.buffer));
  return { data: bytes.buffer, fromCache: false, cached };
}

const MAX_REDIRECTS = 5;

/**
 * `fetch` that follows redirects itself, so one that leaves the allowed origins is refused before
 * its target is contacted. Browsers hide a redirect's target from such a fetch (an opaque
 * response): there the redirect is followed, and refuseRedirectAway checks where it led.
 */
function policedFetch(fetchFn: typeof fetch, path: string, policy: ShardPolicy): typeof fetch {
  return async (input, init) => {
    let current = String(input);
    for (let hop = 0; ; hop++) {
      const response = await fetchFn(current, { ...init, redirect: 'manual' });
      if (response.type === 'opaqueredirect') return fetchFn(current, init);
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) return response;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, current);
      checkShardLocation(next, path, policy, true);
      if (hop === MAX_REDIRECTS) throw new RuntimeError('E_NETWORK', `weight shard ${path} redirected more than ${MAX_REDIRECTS} times (last to ${next.href})`);
      current = next.href;
    }
  };
}

/** A redirect may lead only where the shard path itself could have pointed. */
async function refuseRedirectAway(response: Response, url: string, shard: ShardRecord, policy: ShardPolicy): Promise<void> {
  if (!response.url || response.url === url) return;
  try {
    checkShardLocation(new URL(response.url), shard.path, policy, true);
  } catch (error) {
    await response.body?.cancel().catch(() => undefined);
    throw error;
  }
}

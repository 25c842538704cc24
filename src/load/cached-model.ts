import type { ShardRecord } from '../../shared/model-metadata.js';
import { modelJsonCacheKey, shardCacheKey, type ModelCache } from './model-cache.js';
import { parseModelJson, type ParsedModelJson } from './model-json.js';

// Cache trouble (quota exceeded, private browsing, a closed database) must never fail a load:
// during a load, reads that fail are misses and writes that fail are reported, not thrown.

export async function readEntry(cache: ModelCache, key: string): Promise<ArrayBuffer | undefined> {
  return cache.get(key).catch(() => undefined);
}

/** True when the entry was stored. */
export async function writeEntry(cache: ModelCache, key: string, data: ArrayBuffer): Promise<boolean> {
  return cache.put(key, data).then(
    () => true,
    () => false,
  );
}

/** A JSON entry that passes `isValid`; a missing, unparsable or invalid one reads as a miss. */
export async function readJsonEntry<T>(cache: ModelCache, key: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
  const data = await readEntry(cache, key);
  if (!data) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(data));
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True when the entry was stored. */
export function writeJsonEntry(cache: ModelCache, key: string, value: unknown): Promise<boolean> {
  return writeEntry(cache, key, new TextEncoder().encode(JSON.stringify(value)).buffer);
}

export async function removeEntry(cache: ModelCache, key: string): Promise<void> {
  await cache.delete(key).catch(() => undefined);
}

export interface CachedModelJson extends ParsedModelJson {
  readonly text: string;
}

/** The cached model.json for `url`; an entry this runtime can no longer load is evicted and reads as a miss. */
export async function readCachedModel(cache: ModelCache, url: string): Promise<CachedModelJson | undefined> {
  const data = await readEntry(cache, modelJsonCacheKey(url));
  if (!data) return undefined;
  const text = new TextDecoder().decode(data);
  try {
    return { ...parseModelJson(text, url), text };
  } catch {
    await removeEntry(cache, modelJsonCacheKey(url));
    return undefined;
  }
}

/**
 * Caches model.json — call only once all its shards are cached. When it replaces a different
 * model at the same URL (a revalidated load), the old model's shards that the new one does not
 * share are evicted, so replaced models don't pile up.
 */
export async function storeModel(cache: ModelCache, url: string, text: string, shards: readonly ShardRecord[]): Promise<void> {
  const previous = await shardsOfCachedModel(cache, url).catch(() => []);
  if (!(await writeEntry(cache, modelJsonCacheKey(url), new TextEncoder().encode(text).buffer))) return;
  const kept = new Set(shards.map((shard) => shard.sha256));
  const stale = previous.filter((shard) => !kept.has(shard.sha256));
  await Promise.all(stale.map((shard) => removeEntry(cache, shardCacheKey(shard.sha256))));
}

/** Removes the model at `url`: its shards, then its model.json. Errors propagate, since the app asked for this. */
export async function evictModel(cache: ModelCache, url: string): Promise<void> {
  const shards = await shardsOfCachedModel(cache, url);
  await Promise.all(shards.map((shard) => cache.delete(shardCacheKey(shard.sha256))));
  await cache.delete(modelJsonCacheKey(url));
}

async function shardsOfCachedModel(cache: ModelCache, url: string): Promise<readonly ShardRecord[]> {
  const data = await cache.get(modelJsonCacheKey(url));
  if (!data) return [];
  try {
    return parseModelJson(new TextDecoder().decode(data), url).metadata.weights.shards;
  } catch {
    return [];
  }
}

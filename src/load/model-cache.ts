import { cacheApiModelCache } from './cache-api-model-cache.js';
import { indexedDbModelCache } from './indexeddb-model-cache.js';

/**
 * Where fetched models are kept between page loads. Entries are opaque byte blobs under string
 * keys; the backends (Cache API, IndexedDB, memory) differ only in where the bytes live.
 *
 * Layout and its trade-off: shards are keyed by their SHA-256 (`shardCacheKey`), which is
 * content addressing — such an entry can never be stale, a changed model simply has other
 * hashes, and an interrupted download resumes because the shards it finished are found again.
 * model.json is keyed by its URL (`modelJsonCacheKey`) and read without asking the server,
 * which is what makes a repeat load cost zero requests. The price: a model replaced in place at
 * the same URL keeps being served from the cache until the app passes `revalidate: true` (one
 * request for model.json, then only the changed shards download) or calls `clearModelCache`.
 * Publishing each model under its own URL (a versioned directory) avoids both.
 */
export interface ModelCache {
  get(key: string): Promise<ArrayBuffer | undefined>;
  put(key: string, data: ArrayBuffer): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every entry this backend holds. */
  clear(): Promise<void>;
}

export const shardCacheKey = (sha256: string): string => `shard:${sha256}`;
export const modelJsonCacheKey = (modelJsonUrl: string): string => `model:${modelJsonUrl}`;

/** The Cache API where it exists, else IndexedDB (insecure origins, some workers), else none (Node). */
export function defaultModelCache(): ModelCache | undefined {
  return availableModelCaches()[0];
}

/** Every backend this environment offers, preferred first. */
export function availableModelCaches(): ModelCache[] {
  const found: ModelCache[] = [];
  if (typeof caches !== 'undefined') found.push(cacheApiModelCache());
  if (typeof indexedDB !== 'undefined') found.push(indexedDbModelCache());
  return found;
}

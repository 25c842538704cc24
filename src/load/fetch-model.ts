import { io } from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { LOAD_DEFAULTS, type LoadProgress } from '../options.js';
import { readCachedModel, storeModel, type CachedModelJson } from './cached-model.js';
import { abortedAs } from './aborted.js';
import { mapBounded, withAbortScope } from './concurrency.js';
import { fetchOk, readLimitedText } from './fetch-resource.js';
import { loadShard, type ShardSource } from './load-shard.js';
import { defaultModelCache, type ModelCache } from './model-cache.js';
import { MODEL_LIMITS } from './model-limits.js';
import { parseModelJson } from './model-json.js';
import { resolveModelUrl } from './model-url.js';
import { shardUrl, type ShardPolicy } from './shard-location.js';
import { watchStalls } from './stall-watch.js';
import { wrongModel } from './wrong-model.js';

export interface FetchModelOptions {
  /** model.json URL, or its directory URL ending in '/'. Relative URLs resolve against the page. */
  readonly modelUrl: string;
  /**
   * Keep model.json and the shards in `cacheBackend`, so the next load makes no request at all.
   * See ModelCache for how entries are keyed and when a cached model.json goes stale.
   */
  readonly cache: boolean;
  /**
   * Check each shard's SHA-256 against the metadata. Shard lengths are always checked, and a
   * shard about to be cached is always hashed (its cache key is its hash).
   */
  readonly verifyIntegrity: boolean;
  /** Weight bytes as they stream in: loadedBytes only grows, and ends equal to totalBytes. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Cancels the load, which then rejects with E_ABORTED. */
  readonly signal?: AbortSignal;
  /** No bytes from a download for this long → E_TIMEOUT naming its URL. @default LOAD_DEFAULTS.stallTimeoutMs */
  readonly stallTimeoutMs?: number;
  /** Origins besides model.json's that shards may come from. @default [] */
  readonly allowedOrigins?: readonly string[];
  /**
   * Fetch model.json from the server even when it is cached, to pick up a model replaced at the
   * same URL; shards whose SHA-256 is already cached still come from the cache. @default false
   */
  readonly revalidate?: boolean;
  /** Where to cache. @default defaultModelCache(): the Cache API, else IndexedDB, else none (Node) */
  readonly cacheBackend?: ModelCache;
}

export interface FetchedModel {
  /** Ready for the stock `tf.loadGraphModel(io.fromMemory(artifacts))`; one ArrayBuffer per shard. */
  readonly artifacts: io.ModelArtifacts;
  readonly metadata: InceptionModelMetadata;
  /** True when model.json and every shard came from the cache (no request was made). */
  readonly fromCache: boolean;
  /** Weight bytes (the sum of the shard sizes). */
  readonly bytes: number;
  /**
   * fetchMs: wall time until every shard was in hand, verification included. verifyMs: time
   * spent hashing, summed over shards (it overlaps other shards' downloads).
   */
  readonly timings: { readonly fetchMs: number; readonly verifyMs: number };
}

// Browsers open at most 6 connections per host over HTTP/1.1; 4 keeps the pipe full and leaves
// room for the page's own requests.
const SHARD_CONCURRENCY = 4;

/** Fetches a converted model (from the cache when it holds it), verified and ready for TF.js. */
export async function fetchModel(options: FetchModelOptions): Promise<FetchedModel> {
  const url = resolveModelUrl(options.modelUrl);
  return abortedAs(url, options.signal, () => withAbortScope(options.signal, (controller) => fetchWithin(url, options, controller)));
}

async function fetchWithin(url: string, options: FetchModelOptions, controller: AbortController): Promise<FetchedModel> {
  const started = performance.now();
  const cache = options.cache ? (options.cacheBackend ?? defaultModelCache()) : undefined;
  // Called through a closure: window.fetch throws "Illegal invocation" when `this` is another object.
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const stallTimeoutMs = options.stallTimeoutMs ?? LOAD_DEFAULTS.stallTimeoutMs;
  const policy: ShardPolicy = { modelJsonUrl: url, allowedOrigins: options.allowedOrigins ?? LOAD_DEFAULTS.allowedOrigins };
  const model = await loadModelJson(url, cache, options.revalidate === true, { fetch: fetchFn, signal: controller.signal, stallTimeoutMs });
  const shards = model.metadata.weights.shards;
  // Every shard's location is checked before the first is fetched: a bad path contacts nobody.
  const located = shards.map((shard) => ({ shard, url: shardUrl(shard.path, policy) }));
  const totalBytes = shards.reduce((sum, shard) => sum + shard.bytes, 0);
  let loadedBytes = 0;
  let verifyMs = 0;
  const report = (count: number, fromCache: boolean) => {
    loadedBytes += count;
    options.onProgress?.({ loadedBytes, totalBytes, fromCache });
  };
  report(0, model.fromCache);
  const source: ShardSource = {
    policy,
    stallTimeoutMs,
    fetch: fetchFn,
    signal: controller.signal,
    cache,
    verifyIntegrity: options.verifyIntegrity,
    onBytes: report,
    onHashed: (ms) => (verifyMs += ms),
  };
  const loaded = await mapBounded(located, SHARD_CONCURRENCY, controller, (item) => loadShard(item.shard, item.url, source));
  const fetchMs = performance.now() - started;
  if (cache && !model.fromCache && loaded.every((shard) => shard.cached)) await storeModel(cache, url, model.text, shards);
  const weightData = loaded.map((shard) => shard.data);
  const artifacts = await io.getModelArtifactsForJSON(model.modelJson, async (manifest) => [io.getWeightSpecs(manifest), weightData]);
  return {
    artifacts,
    metadata: model.metadata,
    fromCache: model.fromCache && loaded.every((shard) => shard.fromCache),
    bytes: totalBytes,
    timings: { fetchMs, verifyMs },
  };
}

interface SourcedModelJson extends CachedModelJson {
  readonly fromCache: boolean;
}

interface JsonFetch {
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal;
  readonly stallTimeoutMs: number;
}

async function loadModelJson(url: string, cache: ModelCache | undefined, revalidate: boolean, how: JsonFetch): Promise<SourcedModelJson> {
  const cached = cache && !revalidate ? await readCachedModel(cache, url) : undefined;
  if (cached) return { ...cached, fromCache: true };
  const watch = watchStalls(url, 'model.json', how.stallTimeoutMs, how.signal);
  try {
    const response = await fetchOk(url, 'model.json', how.fetch, watch.signal);
    watch.touch();
    const text = await readLimitedText(response, MODEL_LIMITS.modelJsonBytes, {
      signal: watch.signal,
      onBytes: watch.touch,
      fail: (found, cause) =>
        cause === undefined
          ? wrongModel(url, `is ${found} long, more than a model.json this SDK writes`)
          : new RuntimeError('E_NETWORK', `the connection dropped while reading model.json from ${url} (${found}); try again`, { cause }),
    });
    return { ...parseModelJson(text, url), text, fromCache: false };
  } finally {
    watch.done();
  }
}

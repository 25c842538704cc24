import { evictModel } from './cached-model.js';
import { availableModelCaches, type ModelCache } from './model-cache.js';
import { resolveModelUrl } from './model-url.js';

/**
 * Evicts cached models so the next load downloads again: the model at `modelUrl` (its model.json
 * and shards) or, without a URL, everything this package cached. Without `backend` it clears
 * every backend the environment offers, since a worker may have cached into IndexedDB while
 * the page used the Cache API. A no-op in Node, which has neither.
 */
export async function clearModelCache(modelUrl?: string, backend?: ModelCache): Promise<void> {
  const url = modelUrl === undefined ? undefined : resolveModelUrl(modelUrl);
  const backends = backend ? [backend] : availableModelCaches();
  await Promise.all(backends.map((cache) => (url === undefined ? cache.clear() : evictModel(cache, url))));
}

export { fetchModel, type FetchModelOptions, type FetchedModel } from './fetch-model.js';
export { clearModelCache } from './clear-model-cache.js';
export { defaultModelCache, modelJsonCacheKey, shardCacheKey, type ModelCache } from './model-cache.js';
export { cacheApiModelCache, MODEL_CACHE_NAME } from './cache-api-model-cache.js';
export { indexedDbModelCache, MODEL_DB_NAME } from './indexeddb-model-cache.js';
export { memoryModelCache } from './memory-model-cache.js';
export { resolveModelUrl } from './model-url.js';

import type { ModelCache } from './model-cache.js';

export const MODEL_CACHE_NAME = 'inception-webgpu';

// The Cache API only stores http(s) requests, so keys become URLs on a reserved (.invalid)
// host that can never collide with a real resource.
const keyUrl = (key: string) => `https://inception-webgpu.invalid/${encodeURIComponent(key)}`;

/** A ModelCache in the browser's Cache API (window and service/web workers on secure origins). */
export function cacheApiModelCache(cacheName = MODEL_CACHE_NAME): ModelCache {
  const open = () => caches.open(cacheName);
  return {
    async get(key) {
      const response = await (await open()).match(keyUrl(key));
      return response?.arrayBuffer();
    },
    async put(key, data) {
      await (await open()).put(keyUrl(key), new Response(data));
    },
    async delete(key) {
      await (await open()).delete(keyUrl(key));
    },
    async clear() {
      await caches.delete(cacheName);
    },
  };
}

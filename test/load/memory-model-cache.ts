import type { ModelCache } from '../../src/load/model-cache.js';

/**
 * A ModelCache in a Map, for tests and for Node processes that load the same model repeatedly.
 * It stores and hands out copies, like the browser backends, so callers can't alias its bytes.
 */
export function memoryModelCache(): ModelCache & { readonly keys: () => string[] } {
  const entries = new Map<string, ArrayBuffer>();
  return {
    get: async (key) => entries.get(key)?.slice(0),
    put: async (key, data) => void entries.set(key, data.slice(0)),
    delete: async (key) => void entries.delete(key),
    clear: async () => entries.clear(),
    keys: () => [...entries.keys()],
  };
}

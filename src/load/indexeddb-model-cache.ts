import type { ModelCache } from './model-cache.js';

export const MODEL_DB_NAME = 'inception-webgpu';
const STORE = 'entries';

/** Opens (creating at version 1 if need be) a database holding one object store. */
export function openDatabase(name: string, store = STORE): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves with the request's result once the transaction commits, so a write is durable (or its quota error surfaces). */
export function transact<T>(db: IDBDatabase, mode: IDBTransactionMode, operation: (store: IDBObjectStore) => IDBRequest<T>, store = STORE): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = operation(tx.objectStore(store));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = tx.onabort = () => reject(tx.error ?? request.error);
  });
}

/** A ModelCache in IndexedDB: for contexts without the Cache API (insecure origins, some workers). */
export function indexedDbModelCache(dbName = MODEL_DB_NAME): ModelCache {
  let db: Promise<IDBDatabase> | undefined;
  const run = async <T>(mode: IDBTransactionMode, operation: (store: IDBObjectStore) => IDBRequest<T>) => {
    // A failed open is not remembered: the next call tries again.
    db ??= openDatabase(dbName).catch((error: unknown) => {
      db = undefined;
      throw error;
    });
    return transact(await db, mode, operation);
  };
  return {
    async get(key) {
      const value: unknown = await run('readonly', (store) => store.get(key));
      return value instanceof ArrayBuffer ? value : undefined;
    },
    async put(key, data) {
      await run('readwrite', (store) => store.put(data, key));
    },
    async delete(key) {
      await run('readwrite', (store) => store.delete(key));
    },
    async clear() {
      await run('readwrite', (store) => store.clear());
    },
  };
}

import type { Classifier } from '../classifier.js';
import { RuntimeError, TaggerError } from '../../shared/errors.js';
import { openDatabase, transact } from '../load/indexeddb-model-cache.js';
import { loadTagger } from './create-tagger.js';
import type { Tagger } from './tagger.js';
import type { TaggerJSON } from './tagger-json.js';

/** Its own database, so the model cache's can be cleared (or versioned) without losing taggers. */
const DB_NAME = 'inception-webgpu-taggers';
const STORE = 'taggers';

/** What `listSavedTaggers` tells about each saved tagger, without loading it. */
export interface SavedTaggerInfo {
  readonly name: string;
  readonly savedAt: Date;
  readonly labels: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly trained: boolean;
}

interface SavedTagger extends SavedTaggerInfo {
  readonly json: TaggerJSON;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One IndexedDB request in its own transaction; every failure becomes E_STORAGE with the browser's reason. */
async function request<T>(mode: IDBTransactionMode, operation: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  if (typeof indexedDB === 'undefined') {
    throw new TaggerError('E_STORAGE', 'IndexedDB is not available here (Node, or a context without storage): keep JSON.stringify(tagger) yourself and rebuild it with loadTagger()');
  }
  let db: IDBDatabase;
  try {
    db = await openDatabase(DB_NAME, STORE);
  } catch (error) {
    throw new TaggerError('E_STORAGE', `could not open IndexedDB (${message(error)}); is site storage blocked, e.g. in a private window?`, { cause: error });
  }
  try {
    return await transact(db, mode, operation, STORE);
  } catch (error) {
    throw new TaggerError('E_STORAGE', `IndexedDB refused the ${mode} (${message(error)}); if the quota is full, delete old taggers with deleteSavedTagger()`, { cause: error });
  } finally {
    db.close();
  }
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new RuntimeError('E_INVALID_INPUT', `a saved tagger's name must be a non-empty string, got ${JSON.stringify(name)}`);
}

/** Keeps the tagger in this origin's IndexedDB under `name`, replacing any tagger saved under it. */
export async function saveTagger(tagger: Tagger, name: string): Promise<void> {
  checkName(name);
  const saved: SavedTagger = { name, savedAt: new Date(), labels: tagger.labels, counts: tagger.counts, trained: tagger.trained, json: tagger.toJSON() };
  await request('readwrite', (store) => store.put(saved, name));
}

/** The tagger saved under `name`, on `classifier` (which must run the model it was taught on). */
export async function loadSavedTagger(classifier: Classifier, name: string): Promise<Tagger> {
  checkName(name);
  const saved = (await request('readonly', (store) => store.get(name))) as SavedTagger | undefined;
  if (!saved) {
    const names = (await listSavedTaggers()).map((info) => `'${info.name}'`);
    throw new TaggerError('E_TAGGER_NOT_FOUND', `no tagger is saved as '${name}' (saved: ${names.join(', ') || 'none'}); save one first with saveTagger(tagger, '${name}')`);
  }
  return loadTagger(classifier, saved.json);
}

/** Every saved tagger, by name. */
export async function listSavedTaggers(): Promise<SavedTaggerInfo[]> {
  const all = (await request('readonly', (store) => store.getAll())) as SavedTagger[];
  return all.map(({ name, savedAt, labels, counts, trained }) => ({ name, savedAt, labels, counts, trained }));
}

/** Removes the tagger saved under `name`; false when there was none. */
export async function deleteSavedTagger(name: string): Promise<boolean> {
  checkName(name);
  const existed = (await request('readonly', (store) => store.count(name))) > 0;
  if (existed) await request('readwrite', (store) => store.delete(name));
  return existed;
}

import { LOAD_DEFAULTS, loadWorkerClassifier, MAX_WASM_THREADS, type BackendPreference, type Classifier, type LoadProgress } from '../src/index.js';
import { WASM_PATHS } from './wasm-paths.js';

/** The largest photo the demo accepts, in pixels; bigger ones get an error card without being decoded. */
export const MAX_PIXELS = LOAD_DEFAULTS.maxPixels;

/**
 * A WASM thread per core but one: the core left to the page keeps scrolling and drops smooth while
 * a batch runs (on 2 cores TF.js's own choice, half the cores, would be the same single thread).
 */
function wasmThreads(): number {
  return Math.min(MAX_WASM_THREADS, Math.max(1, navigator.hardwareConcurrency - 1));
}

/**
 * Owns the classifier (in a worker, so inference never blocks the page) and runs every use of it
 * one at a time, and batches alongside them, so a backend switch waits for the photo or batch in
 * flight instead of disposing it.
 */
export class Engine {
  private current: Classifier | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  /** The batches running alongside the uses, each settling (never rejecting) when it ends. */
  private readonly batches = new Set<Promise<unknown>>();

  get classifier(): Classifier | undefined {
    return this.current;
  }

  /** Loads the model on `backend`; the old classifier is kept until the new one works. */
  load(modelUrl: string, backend: BackendPreference, onProgress: (progress: LoadProgress) => void): Promise<Classifier> {
    // The old classifier is disposed below: the batches on it end first (or are cancelled). Only
    // those started before this call: a later one waits for this load, so waiting for it would deadlock.
    const batches = [...this.batches];
    return this.exclusive(async () => {
      await Promise.all(batches);
      const next = await loadWorkerClassifier({ modelUrl, backend, onProgress, wasmPaths: WASM_PATHS, wasmThreads: wasmThreads(), maxPixels: MAX_PIXELS });
      this.current?.dispose();
      this.current = next;
      return next;
    });
  }

  /** Runs `task` with the classifier once every earlier task and load has finished. */
  use<T>(task: (classifier: Classifier) => Promise<T>): Promise<T> {
    return this.exclusive(async () => task(this.loaded()));
  }

  /**
   * Runs a long `task` (a batch of photos) once every earlier task and load has finished, without
   * holding up the uses after it: teaching and the webcam go on meanwhile, their calls taking turns
   * with the batch's in the worker's own queue. A later load waits for it.
   */
  alongside<T>(task: (classifier: Classifier) => Promise<T>): Promise<T> {
    const result = this.lock.then(async () => task(this.loaded()));
    const ended: Promise<unknown> = result.then(
      () => this.batches.delete(ended),
      () => this.batches.delete(ended),
    );
    this.batches.add(ended);
    return result;
  }

  private loaded(): Classifier {
    if (!this.current) throw new Error('no model is loaded (see the message at the top of the page)');
    return this.current;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.catch(() => undefined);
    return result;
  }
}

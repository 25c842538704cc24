import type { BrowserWorker } from '../browser-types.js';
import type { Classifier } from '../classifier.js';
import { resolvePoolOptions } from '../options.js';
import { loadWorkerClassifier, type WorkerLoadOptions } from './load-worker-classifier.js';
import { defaultPoolSize, deviceResources } from './pool-size.js';
import { WorkerPoolClassifier, type WorkerPool } from './worker-pool.js';

export interface WorkerPoolOptions extends Omit<WorkerLoadOptions, 'worker'> {
  /**
   * How many workers. @default one per logical core, at most POOL_DEFAULTS.maxSize, and no more
   * than a quarter of navigator.deviceMemory holds at the measured memory per worker
   * (POOL_DEFAULTS.workerMegabytes: 410 MB for float32, so 2 workers on a 4 GB device)
   */
  readonly size?: number;
  /** Starts one worker whose script calls exposeClassifier(). @default the package's own worker */
  readonly createWorker?: () => BrowserWorker;
}

/** Disposes what did load when another worker of the pool failed, and rethrows the first failure. */
function allOrNothing(loads: PromiseSettledResult<Classifier>[]): Classifier[] {
  const failed = loads.find((load): load is PromiseRejectedResult => load.status === 'rejected');
  const loaded = loads.flatMap((load) => (load.status === 'fulfilled' ? [load.value] : []));
  if (!failed) return loaded;
  for (const classifier of loaded) classifier.dispose();
  throw failed.reason;
}

/**
 * Loads the model into several workers and spreads calls over them: every core busy without
 * cross-origin isolation, since each worker runs single-threaded WASM by default (backend 'wasm',
 * wasmThreads 1). Same API as loadWorkerClassifier(); `classifyMany` keeps 2 images per worker in
 * flight. `onProgress` reports the first worker's load, which is the download. A worker that
 * crashes fails the calls it had with E_WORKER and is replaced by a new one.
 *
 * ```ts
 * const pool = await loadWorkerPool({ modelUrl: '/models/inception_v3/model.json' });
 * for await (const result of pool.classifyMany(files)) console.log(result.index, result.ok && result.predictions[0]);
 * ```
 */
export async function loadWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const { size, createWorker, ...load } = resolvePoolOptions(options);
  const loadOne = (onProgress?: WorkerLoadOptions['onProgress']) => loadWorkerClassifier({ ...load, onProgress, ...(createWorker && { worker: createWorker() }) });
  // The first worker downloads the model and fills the Cache API; the others then read it from
  // there instead of making N parallel downloads (with cache: false they do download it each).
  const first = await loadOne(load.onProgress);
  const count = size ?? defaultPoolSize(deviceResources(), first.metadata.weights.dtype);
  const rest = await Promise.allSettled(Array.from({ length: count - 1 }, () => loadOne()));
  // A worker that crashes later is replaced by one loaded the same way (from the cache it filled).
  return new WorkerPoolClassifier(allOrNothing([{ status: 'fulfilled', value: first }, ...rest]), () => loadOne());
}

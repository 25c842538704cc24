import type { WasmPaths } from '../backends/register-backend.js';
import type { BrowserWorker } from '../browser-types.js';
import type { Classifier } from '../classifier.js';
import { RuntimeError } from '../../shared/errors.js';
import { resolveLoadOptions, type LoadOptions } from '../options.js';
import { abortedAs } from '../load/aborted.js';
import { absoluteUrl } from './absolute-url.js';
import { createClassifierWorker } from './create-worker.js';
import type { LoadedInfo, WireLoadOptions } from './protocol.js';
import { WorkerClassifier } from './worker-classifier.js';
import { WorkerConnection } from './worker-connection.js';

/** LoadOptions for a classifier in a worker; `fetch` is left out because a function cannot be posted. */
export interface WorkerLoadOptions extends Omit<LoadOptions, 'fetch'> {
  /**
   * A module worker whose script calls exposeClassifier(); dispose() terminates it. Pass one when
   * the bundler cannot serve the package's own worker (Vite's dev server pre-bundles dependencies
   * but not a dependency's worker, unless configured: see the README).
   * @default the package's own worker (bundlers emit it from `new URL('./classifier-worker.js', import.meta.url)`)
   */
  readonly worker?: BrowserWorker;
}

function absoluteWasmPaths(paths: WasmPaths): WasmPaths {
  return typeof paths === 'string' ? absoluteUrl(paths) : Object.fromEntries(Object.entries(paths).map(([file, url]) => [file, absoluteUrl(url)]));
}

/** An AbortSignal cannot be posted either: it stays here, where aborting terminates the worker. */
function toWireOptions({ worker: _worker, onProgress, signal: _signal, ...options }: WorkerLoadOptions): WireLoadOptions {
  return {
    ...options,
    modelUrl: absoluteUrl(options.modelUrl),
    ...(options.wasmPaths !== undefined && { wasmPaths: absoluteWasmPaths(options.wasmPaths) }),
    progress: onProgress !== undefined,
  };
}

/**
 * Like loadClassifier(), but the model loads and runs in a Web Worker, so inference never blocks
 * the page. Inputs are snapshotted here (elements become ImageBitmaps, moved rather than copied)
 * and results come back as transferred arrays; errors keep their `code`. The returned classifier
 * has the same API; its `backend` is the one the worker picked.
 *
 * ```ts
 * const classifier = await loadWorkerClassifier({ modelUrl: '/models/inception_v3/model.json' });
 * const [top] = await classifier.classify(imageElement);
 * ```
 */
export async function loadWorkerClassifier(options: WorkerLoadOptions): Promise<Classifier> {
  const { maxPixels } = resolveLoadOptions(options);
  if ((options as LoadOptions).fetch !== undefined) {
    throw new RuntimeError('E_BAD_OPTION', 'the fetch option cannot be sent to a worker (functions cannot be posted); the worker fetches the model with its own fetch');
  }
  const connection = new WorkerConnection(options.worker ?? createClassifierWorker());
  const abort = () => connection.close(options.signal?.reason as Error);
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const reply = await abortedAs(options.modelUrl, options.signal, () => connection.request({ type: 'load', options: toWireOptions(options) }, [], options.onProgress));
    return new WorkerClassifier(connection, reply.value as LoadedInfo, maxPixels);
  } catch (error) {
    connection.close(error as Error);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

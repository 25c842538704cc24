import * as tf from '@tensorflow/tfjs-core';
import type { WasmThreads } from '../options.js';
import { SerialQueue } from '../serial-queue.js';

// Two overlapping initialisations would each restore navigator.hardwareConcurrency as they found
// it, and the later one would leave the earlier one's override in place for good.
const initialisations = new SerialQueue();

/**
 * Runs `task` while navigator.hardwareConcurrency reports at least `cores`, through an own
 * property that shadows the prototype's getter and is removed afterwards: the page's navigator is
 * left as it was. A navigator that already pins its own value for good is left alone.
 */
async function withReportedCores<T>(cores: number, task: () => Promise<T>): Promise<T> {
  const { navigator } = globalThis;
  const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  if (own?.configurable === false) return task();
  const reported = Math.max(cores, navigator.hardwareConcurrency);
  Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => reported });
  try {
    return await task();
  } finally {
    if (own) Object.defineProperty(navigator, 'hardwareConcurrency', own);
    else Reflect.deleteProperty(navigator, 'hardwareConcurrency');
  }
}

/**
 * Runs `init` (tf.setBackend('wasm'), which instantiates the WASM module) so that the backend
 * starts `threads` threads. setThreadsCount() alone cannot do it: TF.js's C++ side caps the pool
 * at half of navigator.hardwareConcurrency as read during instantiation (1 thread on 2 cores), so
 * for that moment only navigator reports at least twice the count. Without threads (not cross-origin
 * isolated, or Node) and with 'auto', `init` runs untouched.
 */
export async function initWasmWithThreads<T>(threads: WasmThreads, init: () => Promise<T>): Promise<T> {
  if (threads === 'auto') return init();
  // Importing the backend registers the flag read next.
  const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) return init();
  return initialisations.run(() => {
    setThreadsCount(threads);
    return withReportedCores(2 * threads, init);
  });
}

/** How many threads the initialised WASM backend really uses, whatever was asked. */
export async function wasmThreadsInUse(): Promise<number> {
  return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
}

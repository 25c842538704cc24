import { RuntimeError } from '../../shared/errors.js';

/** Starts the package's own classifier worker (classifier-worker.ts) as a module worker. */
export function createClassifierWorker(): Worker {
  if (typeof Worker === 'undefined') throw new RuntimeError('E_WORKER', 'Web Workers are not available here; use loadClassifier() instead');
  // Keep this exact shape: it is the pattern bundlers recognise to emit the worker file.
  return new Worker(new URL('./classifier-worker.js', import.meta.url), { type: 'module', name: 'inception-webgpu' });
}

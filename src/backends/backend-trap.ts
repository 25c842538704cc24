import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../options.js';
import { resetBackend } from './device-loss.js';

/**
 * Backends that trapped: a WebAssembly RuntimeError ("memory access out of bounds") can leave
 * the WASM heap corrupt, and every later model on that backend then fails the same way until
 * the page reloads. Such a backend is dropped whole before the next load, which starts a fresh
 * module with a fresh heap (models still on the old one are lost with it: they were broken).
 */
const trapped = new Set<BackendName>();

const isWasmTrap = (error: unknown): boolean => typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;

/** Remembers that `backend` (by default the active one) trapped, if `error` is a WebAssembly trap. */
export function noteBackendTrap(error: unknown, backend = tf.engine().backendName as BackendName | null): void {
  if (isWasmTrap(error) && backend) trapped.add(backend);
}

/** Before a load: re-creates every backend seen trapping, and the active WASM backend if a probe op traps now. */
export function healTrappedBackends(): void {
  if (tf.engine().backendName === 'wasm' && probeTraps()) trapped.add('wasm');
  for (const name of trapped) resetBackend(name);
  trapped.clear();
}

function probeTraps(): boolean {
  try {
    tf.tidy(() => {
      tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
    });
    return false;
  } catch (error) {
    return isWasmTrap(error);
  }
}

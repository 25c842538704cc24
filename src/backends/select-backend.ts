import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../errors.js';
import { AUTO_BACKEND_ORDER, type BackendName, type BackendPreference } from '../options.js';
import { registerBackend, type WasmPaths } from './register-backend.js';

export interface SkippedBackend {
  readonly backend: BackendName;
  readonly reason: string;
}

/** Which backend runs the model, and why each one tried before it was passed over. */
export interface BackendReport {
  readonly backend: BackendName;
  readonly skipped: readonly SkippedBackend[];
}

/** A tiny op whose result we check: a backend can initialise and still compute garbage or throw. */
async function probe(): Promise<string | undefined> {
  const result = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
  try {
    const values = await result.data();
    return values[0] === 4 && values[1] === 6 ? undefined : `probe op returned [${Array.from(values).join(', ')}] instead of [4, 6]`;
  } finally {
    result.dispose();
  }
}

/** Makes `name` the active TF.js backend if it really works; returns why not otherwise. */
export async function tryBackend(name: BackendName, wasmPaths?: WasmPaths): Promise<string | undefined> {
  try {
    const unavailable = await registerBackend(name, wasmPaths);
    if (unavailable) return unavailable;
    // tf.setBackend resolves to false (it does not throw) when the backend fails to initialise.
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') returned false: the backend failed to initialise`;
    return await probe();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Resolves 'auto' by trying WebGPU, WebGL, WASM and CPU in turn (or starting from `after`, when
 * recovering from a lost device); an explicit backend that does not work is an error.
 */
export async function selectBackend(preference: BackendPreference, wasmPaths?: WasmPaths, candidates?: readonly BackendName[]): Promise<BackendReport> {
  const order = candidates ?? (preference === 'auto' ? AUTO_BACKEND_ORDER : [preference]);
  const skipped: SkippedBackend[] = [];
  for (const backend of order) {
    const reason = await tryBackend(backend, wasmPaths);
    if (reason === undefined) return { backend, skipped };
    skipped.push({ backend, reason });
  }
  const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  if (preference !== 'auto') {
    throw new RuntimeError('E_BACKEND_UNAVAILABLE', `backend '${preference}' is not available here (${reasons}); use backend: 'auto' to fall back automatically`);
  }
  throw new RuntimeError('E_NO_BACKEND', `no TF.js backend works in this environment (${reasons})`);
}

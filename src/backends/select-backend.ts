import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import { AUTO_BACKEND_ORDER, type BackendName, type BackendPreference, type ResolvedLoadOptions } from '../options.js';
import { registerBackend } from './register-backend.js';
import { initWasmWithThreads, wasmThreadsInUse } from './wasm-threads.js';

/** How the WASM backend is set up, should it be tried. */
export type WasmSetup = Pick<ResolvedLoadOptions, 'wasmPaths' | 'wasmThreads'>;

export interface SkippedBackend {
  readonly backend: BackendName;
  readonly reason: string;
}

/** Which backend runs the model, and why each one tried before it was passed over. */
export interface BackendReport {
  readonly backend: BackendName;
  readonly skipped: readonly SkippedBackend[];
  /** Threads the WASM backend really uses (1 without cross-origin isolation); set only on wasm. */
  readonly wasmThreads?: number;
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
export async function tryBackend(name: BackendName, wasm: WasmSetup): Promise<string | undefined> {
  try {
    const unavailable = await registerBackend(name, wasm.wasmPaths);
    if (unavailable) return unavailable;
    const init = () => tf.setBackend(name);
    // tf.setBackend resolves to false (it does not throw) when the backend fails to initialise.
    const initialised = await (name === 'wasm' ? initWasmWithThreads(wasm.wasmThreads, init) : init());
    if (!initialised) return `tf.setBackend('${name}') returned false: the backend failed to initialise`;
    return await probe();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Resolves 'auto' by trying WebGPU, WebGL, WASM and CPU in turn (or starting from `after`, when
 * recovering from a lost device); an explicit backend that does not work is an error.
 */
export async function selectBackend(preference: BackendPreference, wasm: WasmSetup, candidates?: readonly BackendName[]): Promise<BackendReport> {
  const order = candidates ?? (preference === 'auto' ? AUTO_BACKEND_ORDER : [preference]);
  const skipped: SkippedBackend[] = [];
  for (const backend of order) {
    const reason = await tryBackend(backend, wasm);
    if (reason === undefined) return { backend, skipped, ...(backend === 'wasm' && { wasmThreads: await wasmThreadsInUse() }) };
    skipped.push({ backend, reason });
  }
  const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  if (preference !== 'auto') {
    throw new RuntimeError('E_BACKEND_UNAVAILABLE', `backend '${preference}' is not available here (${reasons}); use backend: 'auto' to fall back automatically`);
  }
  throw new RuntimeError('E_NO_BACKEND', `no TF.js backend works in this environment (${reasons})`);
}

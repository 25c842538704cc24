import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import type { BackendName, BackendPreference, LoadOptions, ResolvedLoadOptions } from '../options.js';
import { AUTO_BACKEND_ORDER } from '../options.js';
import { initBackend } from './init-backend.js';
import { registerBackend } from './register-backend.js';
import { wasmThreadsInUse } from './wasm-threads.js';
import type { BackendMeasurement } from './backend-choice-cache.js';
import type { SelfCheckOutcome } from './self-check.js';
import type { WebGpuPlan } from './webgpu/tuned-kernels.js';

/** How backends are set up, should they be tried. */
export type BackendSetup = Pick<ResolvedLoadOptions, 'wasmPaths' | 'wasmThreads' | 'backendTimeoutMs'> & Pick<LoadOptions, 'webgpuShaderF16'>;

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
  /** What went differently from what was asked, e.g. threaded WASM that fell back to one thread. */
  readonly notes: readonly string[];
  /**
   * How the backend was chosen: 'explicit' (the app named it), 'measured' ('auto' timed the
   * candidates on this device), 'cached' (an earlier load's measurement), 'order' (the first
   * that works: one candidate, or measureBackends: false).
   */
  readonly choice?: 'explicit' | 'measured' | 'cached' | 'order';
  /** The self-check of the chosen backend against the model's golden outputs. */
  readonly selfCheck?: SelfCheckOutcome;
  /** What 'auto' measured, when it measured (now or in the load it remembers). */
  readonly measurements?: readonly BackendMeasurement[];
  /** Inferences run to check and choose the backend beyond the one warm-up: 0 on a cached choice. */
  readonly extraInferences?: number;
  /** On WebGPU: which conv kernel runs each conv shape, and the tuning time (see the webgpuKernels option). */
  readonly webgpuPlan?: WebGpuPlan;
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

type Attempt = { readonly ok: true; readonly notes: readonly string[] } | { readonly ok: false; readonly reason: string; readonly software?: boolean };

/**
 * Makes `name` the active TF.js backend if it really works. A GPU emulated on the CPU is refused
 * unless `allowSoftware`, before it is initialised (that alone takes seconds).
 */
async function tryBackend(name: BackendName, setup: BackendSetup, allowSoftware: boolean): Promise<Attempt> {
  try {
    const registration = await registerBackend(name, setup);
    if (registration.unavailable) return { ok: false, reason: registration.unavailable };
    if (registration.software && !allowSoftware) return { ok: false, reason: registration.software, software: true };
    const init = await initBackend(name, setup);
    if (init.failure) return { ok: false, reason: init.failure };
    const wrong = await probe();
    return wrong ? { ok: false, reason: wrong } : { ok: true, notes: init.notes ?? [] };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** `name` as the active backend if it works and is a real GPU (or WASM/CPU): a candidate for 'auto' to measure. */
export async function tryHardwareBackend(name: BackendName, setup: BackendSetup): Promise<BackendReport | SkippedBackend> {
  const attempt = await tryBackend(name, setup, false);
  return attempt.ok ? report(name, [], attempt.notes) : { backend: name, reason: attempt.reason };
}

async function report(backend: BackendName, skipped: SkippedBackend[], notes: readonly string[]): Promise<BackendReport> {
  return { backend, skipped, notes, ...(backend === 'wasm' && { wasmThreads: await wasmThreadsInUse() }) };
}

/**
 * Resolves 'auto' by trying WebGPU, WebGL, WASM and CPU in turn (or the given candidates, when
 * recovering from a lost device). A GPU that is really a software renderer goes after WASM: it
 * is tried only if WASM fails, before CPU. An explicit backend runs wherever it works, software
 * or not; one that does not work is an error.
 */
export async function selectBackend(preference: BackendPreference, setup: BackendSetup, candidates?: readonly BackendName[]): Promise<BackendReport> {
  const auto = preference === 'auto';
  const order = candidates ?? (auto ? AUTO_BACKEND_ORDER : [preference]);
  const skipped: SkippedBackend[] = [];
  const deferred: BackendName[] = [];
  for (const backend of order.filter((b) => b !== 'cpu')) {
    const attempt = await tryBackend(backend, setup, !auto);
    if (attempt.ok) return report(backend, skipped, attempt.notes);
    skipped.push({ backend, reason: attempt.reason });
    if (attempt.software) deferred.push(backend);
  }
  for (const backend of [...deferred, ...order.filter((b) => b === 'cpu')]) {
    const attempt = await tryBackend(backend, setup, true);
    const others = skipped.filter((s) => s.backend !== backend);
    if (attempt.ok) return report(backend, others, attempt.notes);
    skipped.splice(0, skipped.length, ...others, { backend, reason: attempt.reason });
  }
  const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  if (!auto) {
    throw new RuntimeError('E_BACKEND_UNAVAILABLE', `backend '${preference}' is not available here (${reasons}); use backend: 'auto' to fall back automatically`);
  }
  throw new RuntimeError('E_NO_BACKEND', `no TF.js backend works in this environment (${reasons})`);
}

import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../options.js';
import { withConsoleCaptured } from './console-capture.js';
import { resetBackend } from './device-loss.js';
import type { BackendSetup } from './select-backend.js';
import { wasmSupport } from './wasm-binaries.js';
import { initWasmWithThreads } from './wasm-threads.js';

export interface InitOutcome {
  /** Why the backend did not start; undefined when it did. */
  readonly failure?: string;
  readonly notes?: readonly string[];
}

const TIMED_OUT = Symbol('timed out');

function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The fix for a cause the browser's Content-Security-Policy gave, or ''. */
function policyHint(cause: string): string {
  if (/wasm-unsafe-eval|WebAssembly.*(Content Security Policy|unsafe-eval)/i.test(cause)) {
    return " (the page's Content-Security-Policy forbids WebAssembly: add 'wasm-unsafe-eval' to script-src)";
  }
  if (/worker-src|blob:.*(Content Security Policy|violates)/i.test(cause)) {
    return " (the page's Content-Security-Policy forbids the blob: workers threaded WASM starts: add blob: to worker-src, or set wasmThreads: 1)";
  }
  return '';
}

/**
 * tf.setBackend(name), abandoned after `ms`. tf.setBackend resolves to false rather than throw,
 * and says why only on the console, so the reason returned is what TF.js logged.
 */
async function setBackendWithin(name: BackendName, ms: number): Promise<string | undefined> {
  const { result, logged } = await withConsoleCaptured(() => within(tf.setBackend(name), ms));
  if (result === TIMED_OUT) return `did not finish initialising within ${ms / 1000} s`;
  if (result) return undefined;
  const cause = logged.join(' ').trim();
  return `the backend failed to initialise${cause ? `: ${cause}` : ' (TF.js gave no reason)'}${policyHint(cause)}`;
}

/**
 * Threaded WASM can fail where single-threaded works: a minifier that breaks the threads' script
 * (they then hang), a policy that forbids blob: workers. Then WASM starts again on one thread.
 */
async function initWasm(setup: BackendSetup): Promise<InitOutcome> {
  const failure = await initWasmWithThreads(setup.wasmThreads, () => setBackendWithin('wasm', setup.backendTimeoutMs));
  if (failure === undefined) return {};
  // TF.js runs threads only in its threaded SIMD binary.
  const { simd, threads } = await wasmSupport();
  if (!(simd && threads)) return { failure };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  resetBackend('wasm');
  const single = await setBackendWithin('wasm', setup.backendTimeoutMs);
  if (single) return { failure: `threaded: ${failure}; single-threaded: ${single}` };
  const note =
    `threaded WASM failed (${failure}), so WASM runs single-threaded; threads need the tfjsWasmThreads() ` +
    'Vite plugin in a minified build, and blob: in worker-src under a Content-Security-Policy';
  return { notes: [note] };
}

/** Initialises a registered backend within setup.backendTimeoutMs. */
export async function initBackend(name: BackendName, setup: BackendSetup): Promise<InitOutcome> {
  if (name === 'wasm') return initWasm(setup);
  const failure = await setBackendWithin(name, setup.backendTimeoutMs);
  return failure ? { failure } : {};
}

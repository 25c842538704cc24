/**
 * Initialising a backend in Node with stand-in factories: one that never settles is abandoned
 * after backendTimeoutMs, and one that fails reports what TF.js logged, not "returned false".
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../src/backends/init-backend.js';

const SETUP = { wasmPaths: undefined, wasmThreads: 'auto', backendTimeoutMs: 200 } as const;

afterEach(() => {
  tf.removeBackend('webgl');
  vi.restoreAllMocks();
});

describe('initBackend', () => {
  it('abandons a backend whose initialisation does not settle in time', async () => {
    tf.registerBackend('webgl', () => new Promise<never>(() => undefined));
    const started = performance.now();
    const outcome = await initBackend('webgl', SETUP);
    expect(outcome.failure).toBe('did not finish initialising within 0.2 s');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("gives the cause TF.js logged when tf.setBackend() returns false", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    tf.registerBackend('webgl', () => {
      throw new Error('WebGL2 context creation failed: GPU process unavailable');
    });
    const outcome = await initBackend('webgl', SETUP);
    expect(outcome.failure).toMatch(/^the backend failed to initialise: .*WebGL2 context creation failed: GPU process unavailable/);
  });

  it('names the CSP directive when a policy forbade WebAssembly', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    tf.registerBackend('webgl', () => {
      throw new Error("CompileError: WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive");
    });
    const outcome = await initBackend('webgl', SETUP);
    expect(outcome.failure).toMatch(/add 'wasm-unsafe-eval' to script-src/);
  });
});

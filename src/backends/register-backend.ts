import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../options.js';
import { softwareWebGl, softwareWebGpu } from './software-gpu.js';
import { locateWasmBinaries } from './wasm-binaries.js';

/** How the WASM backend finds its binaries; see LoadOptions.wasmPaths. */
export type WasmPaths = string | Readonly<Record<string, string>>;

/** What registering found before any backend was initialised. */
export interface Registration {
  /** Why the backend cannot work here at all. */
  readonly unavailable?: string;
  /** Set when the backend is a GPU emulated on the CPU (see software-gpu.ts). */
  readonly software?: string;
}

/** What registering a backend needs from the load options. */
export interface RegisterOptions {
  readonly wasmPaths?: WasmPaths;
  /** WebGPU: start the device with 'shader-f16' where the adapter has it (LoadOptions.webgpuShaderF16). */
  readonly webgpuShaderF16?: boolean;
}

/** Node loads TF.js's WASM binary from disk itself; only browsers need to find it by URL. */
const IN_NODE = typeof globalThis.process?.versions?.node === 'string';

/**
 * Imports a backend's module only when it is tried, so an app that ends up on WebGPU never
 * downloads the WASM or WebGL code.
 */
export async function registerBackend(name: BackendName, options: RegisterOptions = {}): Promise<Registration> {
  switch (name) {
    case 'webgpu':
      return registerWebGpu(options.webgpuShaderF16 === true);
    case 'webgl': {
      await import('@tensorflow/tfjs-backend-webgl');
      const software = softwareWebGl();
      return software ? { software } : {};
    }
    case 'wasm':
      return registerWasm(options.wasmPaths);
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return {};
  }
}

async function registerWasm(given: WasmPaths | undefined): Promise<Registration> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Once initialised (by an earlier load in this page), the binaries are in memory already. (Not
  // tf.findBackend: it starts initialising a registered backend, here with TF.js's default paths.)
  if (IN_NODE || tf.engine().registry['wasm'] !== undefined) return {};
  const located = await locateWasmBinaries(given);
  if ('problem' in located) return { unavailable: located.problem };
  // setWasmPaths throws once an initialisation has failed; the paths from then on are TF.js's own.
  try {
    wasm.setWasmPaths(located.paths as string);
  } catch {
    // Keep the paths of the earlier attempt.
  }
  return {};
}

async function registerWebGpu(shaderF16: boolean): Promise<Registration> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return { unavailable: 'navigator.gpu is missing: this browser or runtime has no WebGPU (or it is disabled)' };
  // tfjs-backend-webgpu registers itself on import only when navigator.gpu exists, so import after the check.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { unavailable: 'navigator.gpu.requestAdapter() returned null: no usable GPU adapter' };
  await import('@tensorflow/tfjs-backend-webgpu');
  if (shaderF16) (await import('./webgpu/f16-device.js')).requestShaderF16(adapter);
  const software = softwareWebGpu(adapter);
  return software ? { software } : {};
}

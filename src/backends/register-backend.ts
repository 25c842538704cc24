import type { BackendName } from '../options.js';

/** How the WASM backend finds its binaries; see LoadOptions.wasmPaths. */
export type WasmPaths = string | Readonly<Record<string, string>>;

/**
 * Imports a backend's module only when it is tried, so an app that ends up on WebGPU never
 * downloads the WASM or WebGL code. Returns why the backend cannot work, or undefined.
 */
export async function registerBackend(name: BackendName, wasmPaths?: WasmPaths): Promise<string | undefined> {
  switch (name) {
    case 'webgpu':
      return registerWebGpu();
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return undefined;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths as string);
      return undefined;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return undefined;
  }
}

async function registerWebGpu(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return 'navigator.gpu is missing: this browser or runtime has no WebGPU (or it is disabled)';
  // tfjs-backend-webgpu registers itself on import only when navigator.gpu exists, so import after the check.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return 'navigator.gpu.requestAdapter() returned null: no usable GPU adapter';
  await import('@tensorflow/tfjs-backend-webgpu');
  return undefined;
}

import { importOptionalPackage } from './optional-package.js';

/**
 * Gives Node a WebGPU implementation (Dawn, from the npm package `webgpu`): the GPU* globals and
 * navigator.gpu. Must run before @tensorflow/tfjs-backend-webgpu is imported, which registers
 * itself only if navigator.gpu exists at that moment.
 */
export async function installNodeWebGpu(): Promise<void> {
  if ((globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) return;
  const dawn = (await importOptionalPackage('webgpu', "backend 'webgpu' in Node (Dawn)", () => import('webgpu'))) as unknown as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  if (globalThis.navigator) {
    // Node 21+ has a read-only navigator getter; define gpu on the object itself.
    Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  }
}

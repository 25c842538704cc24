import type { UserConfig } from 'vite';
// The built plugin, by its public name (as a user's vite.config.ts imports it).
import { tfjsWasmThreads } from 'inception-webgpu/vite';

/**
 * A page built the way a user's production app is built: minified, with the plugin users add.
 * Shared by the browser-test harness and the benchmark page.
 */
export function productionPageConfig(root: string, outDir: string): UserConfig {
  return {
    plugins: [tfjsWasmThreads()],
    // The SDK's classifier worker bundles its own copy of the WASM backend.
    worker: { plugins: () => [tfjsWasmThreads()] },
    root,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  };
}

import { defineConfig } from 'vite';
import { tfjsWasmThreads } from '../../../src/vite/tfjs-wasm-threads.js';

/** Builds the benchmark page as a user's production app is built (minified, with the plugin users add). */
export default defineConfig({
  plugins: [tfjsWasmThreads()],
  // The SDK's classifier worker bundles its own copy of the WASM backend.
  worker: { plugins: () => [tfjsWasmThreads()] },
  root: new URL('.', import.meta.url).pathname,
  logLevel: 'warn',
  build: {
    outDir: new URL('../../../.cache/bench-page/', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});

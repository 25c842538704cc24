import { defineConfig } from 'vite';
import { tfjsWasmThreads } from '../../../src/vite/tfjs-wasm-threads.js';

/** Builds the harness the way a user's production app would be built (minified, with the plugin users add). */
export default defineConfig({
  plugins: [tfjsWasmThreads()],
  // The SDK's classifier worker bundles its own copy of the WASM backend.
  worker: { plugins: () => [tfjsWasmThreads()] },
  root: new URL('.', import.meta.url).pathname,
  logLevel: 'warn',
  build: {
    outDir: new URL('../../../.cache/browser-harness/', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});

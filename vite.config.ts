import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { tfjsWasmThreads } from './src/vite/tfjs-wasm-threads.js';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Threaded WASM needs a cross-origin isolated page, which these two headers make; `vite` and
 * `vite preview` send them, and a static host must too (see the README).
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Lists every file of the build in precache.json, for the service worker to keep for offline use. */
function precacheManifest(): Plugin {
  return {
    name: 'demo:precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((file) => file !== 'sw.js' && !file.endsWith('.map'));
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files.sort()) });
    },
  };
}

/** The demo site: `npm run demo` serves it, `npm run build` writes it to dist-demo/. */
export default defineConfig({
  root: path('demo'),
  publicDir: path('public'),
  // Relative URLs: the built site works from any directory of any static host.
  base: './',
  // A missing model must be a 404 (the page then falls back), not index.html.
  appType: 'mpa',
  plugins: [tfjsWasmThreads(), precacheManifest()],
  worker: {
    format: 'es',
    // The classifier worker bundles its own copy of the WASM backend, which needs the same fix.
    plugins: () => [tfjsWasmThreads()],
  },
  server: { headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  build: {
    outDir: path('dist-demo'),
    emptyOutDir: true,
    target: 'es2022',
    // TF.js and its backends are large by nature; they are split per backend already.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      input: { index: path('demo/index.html'), sw: path('demo/sw.ts') },
      // The service worker needs a fixed name at the root so its scope is the whole site.
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});

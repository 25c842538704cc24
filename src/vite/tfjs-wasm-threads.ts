import type { Plugin } from 'vite';

/** The threaded worker's script, as tfjs-backend-wasm 4.x builds it from the factory's source text. */
const WORKER_SCRIPT_FROM_FUNCTION = /`var WasmBackendModuleThreadedSimd = `\s*\+\s*wasmFactoryThreadedSimd\.toString\(\)/;

/** Same folder as the module rewritten below (dist/), so this relative path holds for every dist build. */
const FACTORY_SOURCE_IMPORT = `import __threadedSimdFactorySource from '../wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';\n`;

/**
 * Makes TF.js's multithreaded WASM backend survive a minified production build.
 *
 * tfjs-backend-wasm starts its pthread workers with a script made of
 * `wasmFactoryThreadedSimd.toString()`: the source text of a function from the bundle. A minifier
 * renames that function's outer variables (Emscripten's `_scriptDir` becomes `e`, and the
 * `typeof _scriptDir` guard is folded away), so every worker dies with
 * `ReferenceError: e is not defined` and the backend hangs. This plugin hands the workers the
 * untouched Emscripten file instead, imported as a string (`?raw`), which minifiers leave alone.
 * The page still runs the bundled (minified) factory; only the workers' copy changes.
 *
 * ```ts
 * // vite.config.ts
 * import { tfjsWasmThreads } from 'inception-webgpu/vite';
 * export default defineConfig({
 *   plugins: [tfjsWasmThreads()],
 *   // Workers are bundled separately; the SDK's classifier worker has its own copy of the backend.
 *   worker: { plugins: () => [tfjsWasmThreads()] },
 * });
 * ```
 *
 * Threads also need a cross-origin isolated page (COOP: same-origin, COEP: require-corp).
 */
export function tfjsWasmThreads(): Plugin {
  let patched = false;
  return {
    name: 'inception-webgpu:tfjs-wasm-threads',
    // `vite dev` pre-bundles dependencies without minifying them: nothing to fix there.
    apply: 'build',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm') || !code.includes('wasmFactoryThreadedSimd.toString()')) return null;
      if (!WORKER_SCRIPT_FROM_FUNCTION.test(code)) {
        this.error('tfjs-backend-wasm no longer builds its worker script the way this plugin expects; update inception-webgpu');
      }
      patched = true;
      return { code: FACTORY_SOURCE_IMPORT + code.replace(WORKER_SCRIPT_FROM_FUNCTION, '__threadedSimdFactorySource'), map: null };
    },
    buildEnd() {
      // An app whose bundle has no WASM backend has nothing to patch; say so only when it does.
      if (!patched && [...this.getModuleIds()].some((id) => id.includes('tfjs-backend-wasm'))) {
        this.warn('tfjs-backend-wasm is bundled but its threaded worker script was not found; multithreaded WASM may fail when minified');
      }
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { WasmPaths } from './register-backend.js';

const BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;
type BinaryName = (typeof BINARIES)[number];
type BinaryMap = Readonly<Record<BinaryName, string>>;

/**
 * The binaries as a bundler emits them. Vite and webpack 5 resolve each static
 * `new URL('<package path>', import.meta.url)` at build time, copy the file into the build and
 * rewrite the URL, so an app needs no config and no wasmPaths.
 */
function bundledBinaries(): BinaryMap {
  return {
    'tfjs-backend-wasm.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}

function binariesIn(folder: string | URL): BinaryMap {
  const map = Object.fromEntries(BINARIES.map((name) => [name, new URL(name, folder).href]));
  return map as BinaryMap;
}

/**
 * Where the binaries may be when no bundler rewrote the URLs above (a dev server serving
 * node_modules): beside this package in node_modules, or under the site's /node_modules/ (Vite's
 * dev server, which serves pre-bundled dependencies from elsewhere). The paths are built at run
 * time so that no bundler tries to resolve them.
 */
function unbundledCandidates(): BinaryMap[] {
  const packageRelative = ['..', '..', '..', '..', '@tensorflow', 'tfjs-backend-wasm', 'dist', ''].join('/');
  // Through a variable: webpack turns new URL(<expression>, import.meta.url) into a module lookup that throws.
  const here = import.meta.url;
  const candidates = [binariesIn(new URL(packageRelative, here))];
  const origin = globalThis.location?.origin;
  if (origin) candidates.push(binariesIn(`${origin}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`));
  return candidates;
}

/** What TF.js's WASM backend finds here, as it decides between its binaries. */
export async function wasmSupport(): Promise<{ simd: boolean; threads: boolean }> {
  const [simd, threads] = await Promise.all([tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
  return { simd: simd === true, threads: threads === true };
}

/** The binary TF.js will load, as TF.js picks it from the browser's SIMD and thread support. */
async function neededBinary(): Promise<BinaryName> {
  const { simd, threads } = await wasmSupport();
  if (simd && threads) return 'tfjs-backend-wasm-threaded-simd.wasm';
  return simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Why `url` is not a WebAssembly binary we can fetch, or undefined when it is. Reads 4 bytes only. */
export async function checkWasmUrl(url: string): Promise<string | undefined> {
  let response: Response;
  try {
    // Four bytes, and nothing cached: a body cut short here must not leave a truncated cache entry for TF.js's own fetch.
    response = await fetch(url, { cache: 'no-store', headers: { Range: 'bytes=0-3' } });
  } catch (error) {
    return `could not fetch ${url} (${String(error)}: network error, CORS, or a Content-Security-Policy connect-src that does not allow it)`;
  }
  if (!response.ok) return `${url} answered HTTP ${response.status}`;
  const reader = response.body?.getReader();
  const head: number[] = [];
  while (reader && head.length < 4) {
    const { value, done } = await reader.read();
    if (done) break;
    head.push(...value.subarray(0, 4 - head.length));
  }
  await reader?.cancel();
  if (WASM_MAGIC.every((byte, i) => head[i] === byte)) return undefined;
  const type = response.headers.get('content-type') ?? 'no content-type';
  return `${url} is not WebAssembly (${type}${type.includes('html') ? ': a dev server\'s page for a missing file?' : ''})`;
}

function urlIn(paths: WasmPaths, name: BinaryName): string {
  return typeof paths === 'string' ? new URL(name, new URL(paths, globalThis.location?.href)).href : (paths[name] ?? '');
}

/**
 * The wasmPaths to hand TF.js: the caller's, checked, or else the first place that really serves
 * the binaries. Returns why none works instead, naming every URL tried and the option to set.
 */
export async function locateWasmBinaries(given: WasmPaths | undefined): Promise<{ paths: WasmPaths } | { problem: string }> {
  const name = await neededBinary();
  if (given !== undefined) {
    const problem = await checkWasmUrl(urlIn(given, name));
    return problem ? { problem: `the WASM binary could not be loaded from wasmPaths: ${problem}` } : { paths: given };
  }
  const problems: string[] = [];
  for (const candidate of [bundledBinaries(), ...unbundledCandidates()]) {
    const problem = await checkWasmUrl(candidate[name]);
    if (!problem) return { paths: candidate };
    problems.push(problem);
  }
  return {
    problem:
      `could not find TF.js's ${name} (${problems.join('; ')}). Serve the files of ` +
      `@tensorflow/tfjs-backend-wasm/dist/*.wasm and pass their folder as the wasmPaths option`,
  };
}

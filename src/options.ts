import { RuntimeError } from '../shared/errors.js';
import { withDefaults } from '../shared/with-defaults.js';
import type { ManyOptions, ManyProgress } from './many/many-types.js';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/** How many threads TF.js's WASM backend starts: a count, or 'auto' for TF.js's own choice. */
export type WasmThreads = number | 'auto';

/** TF.js's WASM backend never starts more threads than this, whatever it is asked. */
export const MAX_WASM_THREADS = 8;

/**
 * The conv kernels on WebGPU: 'tuned' times ours against TF.js's on each conv shape of the model
 * at the first load on a GPU and keeps the faster (the plan is cached per adapter and model);
 * 'ours' runs ours on every conv, untimed; 'stock' leaves TF.js's own.
 */
export type WebGpuKernels = 'tuned' | 'ours' | 'stock';

/** The order 'auto' tries backends in: fastest first, the always-available CPU last. */
export const AUTO_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface LoadProgress {
  readonly loadedBytes: number;
  /** Sum of the shard sizes from the model's metadata; undefined until model.json arrived. */
  readonly totalBytes: number | undefined;
  /** True when the bytes come from the local cache rather than the network. */
  readonly fromCache: boolean;
}

export interface LoadOptions {
  /** URL of a converted model's model.json (or of its directory). Required. */
  readonly modelUrl: string;
  /** @default 'auto' — WebGPU, then WebGL, then WASM, then CPU; the first that really works. */
  readonly backend?: BackendPreference;
  /** Called as weight bytes arrive. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Keep the model in the Cache API (or IndexedDB) so the next load makes no request. @default true */
  readonly cache?: boolean;
  /** Check every shard against the SHA-256 in the model's metadata. @default true */
  readonly verifyIntegrity?: boolean;
  /** Run one inference during load so the first real call is fast (shaders compiled). @default true */
  readonly warmup?: boolean;
  /**
   * Where the TF.js WASM binaries are served from: a directory URL ending in '/', or a map of
   * file name → URL. @default undefined (TF.js looks next to the script that loaded it)
   */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
  /**
   * How many threads the WASM backend starts: 1 to 8, or 'auto' for TF.js's own choice (half of
   * navigator.hardwareConcurrency, at most 8). Threads need a cross-origin isolated page (or
   * worker); elsewhere, and in Node (TF.js's WASM has no threads there), the option has no effect.
   * The WASM backend starts once per page or worker: the first load that initialises it sets the
   * count for every later one. `backendReport.wasmThreads` says how many it really uses.
   * @default 'auto'
   */
  readonly wasmThreads?: WasmThreads;
  /**
   * 'torchvision': resize the shorter side to 342 (antialiased bilinear, as PIL) and center-crop
   * 299, as the weights were trained. 'none': images must already be 299×299 and are fed as is.
   * @default 'torchvision'
   */
  readonly preprocess?: 'torchvision' | 'none';
  /** Largest image accepted, in pixels (width × height); bigger ones throw E_IMAGE_TOO_LARGE. @default 50_000_000 */
  readonly maxPixels?: number;
  /** The fetch used for the model; for tests and custom auth. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * How long one backend may take to initialise before it is abandoned (and 'auto' moves on).
   * Threaded WASM that does not start in time is started again single-threaded.
   * @default 30_000
   */
  readonly backendTimeoutMs?: number;
  /**
   * Check the backend's answers on this device: the probe image the converter stored golden
   * outputs for runs through the model (as the warm-up, so it costs no extra inference) and is
   * compared with them. Beyond the model's tolerance (float32 1e-3, float16 0.05), 'auto' moves
   * to the next backend and an explicit backend fails with E_SELF_CHECK_FAILED. Models converted
   * without golden outputs report the check as unavailable. @default true
   */
  readonly selfCheck?: boolean;
  /** Use an explicitly chosen backend even when its self-check drifts; the drift is noted in backendReport.notes. @default false */
  readonly acceptSelfCheckDrift?: boolean;
  /**
   * With backend 'auto', time a warm inference on the two best candidates that pass the
   * self-check and keep the faster, remembering the choice for this device, model and SDK version
   * in the model cache (later loads go straight to it). false: the first that works, in order.
   * @default true
   */
  readonly measureBackends?: boolean;
  /** Cancels the load: it then rejects with E_ABORTED (nothing is left half-loaded). */
  readonly signal?: AbortSignal;
  /**
   * A download (model.json or a shard) that receives no bytes for this long, headers included,
   * fails with E_TIMEOUT naming its URL. `Infinity` waits forever. @default 30_000
   */
  readonly stallTimeoutMs?: number;
  /**
   * Origins (e.g. 'https://cdn.example.com') weight shards may come from besides model.json's
   * own. A shard anywhere else, or redirected anywhere else, is E_UNSAFE_MODEL_PATH. @default []
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * The conv kernels on WebGPU (see `backendReport.webgpuPlan`): 'tuned' picks, per conv shape,
   * ours or TF.js's by timing both at the first load on a GPU and caches the choice with the model
   * (in Node, with no cache, every load tunes); 'ours' always runs ours; 'stock' only TF.js's.
   * 'ours' and 'tuned' also rewrite the graph at load so that branches write into their channels
   * of each concat and convs read channel ranges (123 → 99 dispatches per inference on the default
   * graph). Kernels are registered per page, so the first load's 'ours'/'tuned' routing stays for later models.
   * @default 'tuned'
   */
  readonly webgpuKernels?: WebGpuKernels;
  /**
   * How long 'tuned' may spend timing kernels at a load, costliest shapes first. Shapes left
   * untimed run on ours if ours won most of the work timed, else on TF.js's kernel, and the next
   * load with the cache times more of them. @default 10_000
   */
  readonly webgpuTuningBudgetMs?: number;
  /**
   * Also try conv kernels that multiply and add in half precision (WebGPU's 'shader-f16'), where
   * the GPU has it: 'tuned' times them with the others, 'ours' runs them on every conv. Off by
   * default because a float32 model's users expect float32 answers: f16 arithmetic drifts up to
   * the float16 weights' bound (0.05 on the logits) instead of 1e-3. They run only behind the
   * self-check: the probe is judged against that bound, and beyond it the f16 kernels are dropped
   * and the check runs again at the model's own tolerance (`backendReport.webgpuPlan.shaderF16`
   * says what happened). So they are not tried with selfCheck: false or a model without golden
   * outputs. The WebGPU device is made with the feature only at the page's first WebGPU load.
   * @default false
   */
  readonly webgpuShaderF16?: boolean;
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call: a queued call never runs, a running one rejects with E_ABORTED. */
  readonly signal?: AbortSignal;
}

export interface ClassifyOptions extends CallOptions {
  /** How many classes to return per image. @default 5 */
  readonly topK?: number;
  /** Drop predictions whose probability is below this, in [0, 1]. @default 0 */
  readonly threshold?: number;
  /** Only consider these classes (indices or exact label strings). @default undefined (all 1000) */
  readonly allowlist?: readonly (number | string)[];
}

export const LOAD_DEFAULTS = {
  backend: 'auto',
  cache: true,
  verifyIntegrity: true,
  warmup: true,
  preprocess: 'torchvision',
  maxPixels: 50_000_000,
  wasmThreads: 'auto',
  backendTimeoutMs: 30_000,
  stallTimeoutMs: 30_000,
  allowedOrigins: [],
  selfCheck: true,
  acceptSelfCheckDrift: false,
  measureBackends: true,
  webgpuKernels: 'tuned',
  webgpuTuningBudgetMs: 10_000,
  webgpuShaderF16: false,
} as const satisfies Partial<LoadOptions>;

export const CLASSIFY_DEFAULTS = { topK: 5, threshold: 0 } as const satisfies ClassifyOptions;

/**
 * classifyMany()'s defaults. 2 items in flight lets the next one decode while one runs; a worker
 * pool multiplies it by its size (POOL_DEFAULTS.concurrencyPerWorker).
 */
export const MANY_DEFAULTS = { concurrency: 2, embeddings: false } as const;

/**
 * loadWorkerPool()'s defaults. Single-threaded WASM per worker needs no cross-origin isolation,
 * and N such workers use N cores. The default size is the smallest of the logical cores,
 * `maxSize`, and what `memoryBudgetFraction` of navigator.deviceMemory holds at
 * `workerMegabytes` per worker (measured: see docs/benchmarks.md#worker-pool).
 */
export const POOL_DEFAULTS = {
  backend: 'wasm',
  wasmThreads: 1,
  /** Largest default size: beyond 4 workers a phone runs out of memory before it runs out of cores. */
  maxSize: 4,
  /** classifyMany's default concurrency per worker: one image posted while another runs. */
  concurrencyPerWorker: 2,
  /** Share of the device's memory (navigator.deviceMemory) the pool's workers may take together. */
  memoryBudgetFraction: 0.25,
  /**
   * Renderer memory (RSS) one single-threaded WASM worker adds once loaded and after a round of
   * work, by weight dtype, in MB: about the largest of three `npm run bench -- pool` runs (float32 peaked at 413). TF.js's WASM
   * backend holds float16 and uint8 weights as float32, so they save little once loaded.
   */
  workerMegabytes: { float32: 410, float16: 380, uint8: 370 },
} as const;

const BACKEND_PREFERENCES: readonly string[] = ['auto', ...AUTO_BACKEND_ORDER];
const WEBGPU_KERNELS: readonly string[] = ['tuned', 'ours', 'stock'] satisfies WebGpuKernels[];

/** LoadOptions with every defaulted field present, typed as declared (not as its default's literal). */
export type ResolvedLoadOptions = LoadOptions & Required<Pick<LoadOptions, keyof typeof LOAD_DEFAULTS>>;

const OPTION_TYPES: Readonly<Record<string, string>> = {
  onProgress: 'function',
  fetch: 'function',
  cache: 'boolean',
  verifyIntegrity: 'boolean',
  warmup: 'boolean',
  selfCheck: 'boolean',
  acceptSelfCheckDrift: 'boolean',
  measureBackends: 'boolean',
  webgpuShaderF16: 'boolean',
  maxPixels: 'number',
  backendTimeoutMs: 'number',
  stallTimeoutMs: 'number',
  webgpuTuningBudgetMs: 'number',
};

/** JavaScript callers get E_BAD_OPTION for a wrong type, never a TypeError from deep inside. */
function checkOptionTypes(options: ResolvedLoadOptions): void {
  for (const [name, type] of Object.entries(OPTION_TYPES)) {
    const value: unknown = (options as unknown as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== type) {
      throw new RuntimeError('E_BAD_OPTION', `${name} must be a ${type}, got ${typeof value} ${JSON.stringify(value) ?? String(value)}`);
    }
  }
  const paths: unknown = options.wasmPaths;
  if (paths !== undefined && typeof paths !== 'string' && (paths === null || typeof paths !== 'object')) {
    throw new RuntimeError('E_BAD_OPTION', `wasmPaths must be a folder URL ending in '/' or a map of file name to URL, got ${String(paths)}`);
  }
}

/** Applies defaults and rejects nonsense early, with the value seen and the fix. */
export function resolveLoadOptions(options: LoadOptions): ResolvedLoadOptions {
  if (options === null || typeof options !== 'object') {
    throw new RuntimeError('E_BAD_OPTION', `loadClassifier() needs an options object like { modelUrl: '/models/inception_v3/model.json' }, got ${String(options)}`);
  }
  if (typeof options.modelUrl !== 'string' || options.modelUrl.length === 0) {
    throw new RuntimeError('E_BAD_OPTION', `modelUrl must be the URL of a converted model.json, got ${JSON.stringify(options.modelUrl)}; convert one with 'npx inception-webgpu convert'`);
  }
  const resolved = withDefaults(LOAD_DEFAULTS, options) as ResolvedLoadOptions;
  if (!BACKEND_PREFERENCES.includes(resolved.backend)) {
    throw new RuntimeError('E_BAD_OPTION', `backend must be one of ${BACKEND_PREFERENCES.join(', ')}, got '${resolved.backend}'`);
  }
  if (resolved.preprocess !== 'torchvision' && resolved.preprocess !== 'none') {
    throw new RuntimeError('E_BAD_OPTION', `preprocess must be 'torchvision' or 'none', got '${String(resolved.preprocess)}'`);
  }
  checkOptionTypes(resolved);
  if (!WEBGPU_KERNELS.includes(resolved.webgpuKernels)) {
    throw new RuntimeError('E_BAD_OPTION', `webgpuKernels must be one of ${WEBGPU_KERNELS.join(', ')}, got '${String(resolved.webgpuKernels)}'`);
  }
  if (!(resolved.webgpuTuningBudgetMs >= 0)) {
    throw new RuntimeError('E_BAD_OPTION', `webgpuTuningBudgetMs must be a number of milliseconds, 0 or more, got ${String(resolved.webgpuTuningBudgetMs)}`);
  }
  if (!(resolved.backendTimeoutMs > 0)) throw new RuntimeError('E_BAD_OPTION', `backendTimeoutMs must be a positive number of milliseconds, got ${String(resolved.backendTimeoutMs)}`);
  if (!(resolved.maxPixels > 0)) throw new RuntimeError('E_BAD_OPTION', `maxPixels must be a positive number, got ${resolved.maxPixels}`);
  if (typeof resolved.stallTimeoutMs !== 'number' || !(resolved.stallTimeoutMs > 0)) {
    throw new RuntimeError('E_BAD_OPTION', `stallTimeoutMs must be a positive number of milliseconds (or Infinity), got ${JSON.stringify(resolved.stallTimeoutMs)}`);
  }
  // Duck-typed: a signal from another realm (an iframe) fails instanceof.
  if (resolved.signal !== undefined && typeof (resolved.signal as Partial<AbortSignal> | null)?.addEventListener !== 'function') {
    throw new RuntimeError('E_BAD_OPTION', `signal must be an AbortSignal (from new AbortController().signal), got ${String(resolved.signal)}`);
  }
  if (!Array.isArray(resolved.allowedOrigins) || !resolved.allowedOrigins.every(isOrigin)) {
    throw new RuntimeError('E_BAD_OPTION', `allowedOrigins must be a list of origins like 'https://cdn.example.com', got ${JSON.stringify(resolved.allowedOrigins)}`);
  }
  const threads = resolved.wasmThreads;
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_WASM_THREADS)) {
    const seen = typeof threads === 'string' ? `'${threads}'` : String(threads);
    throw new RuntimeError('E_BAD_OPTION', `wasmThreads must be an integer from 1 to ${MAX_WASM_THREADS} or 'auto', got ${seen}; TF.js's WASM backend starts at most ${MAX_WASM_THREADS} threads`);
  }
  return resolved;
}

/** 'https://cdn.example.com' (scheme, host and port only, as URL.origin writes it). */
function isOrigin(value: unknown): boolean {
  try {
    return typeof value === 'string' && new URL(value).origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

export type ResolvedClassifyOptions = Required<Omit<ClassifyOptions, 'allowlist' | 'signal'>> & Pick<ClassifyOptions, 'allowlist' | 'signal'>;

export function resolveClassifyOptions(options: ClassifyOptions = {}): ResolvedClassifyOptions {
  const resolved = withDefaults(CLASSIFY_DEFAULTS, options);
  if (!Number.isInteger(resolved.topK) || resolved.topK < 1) {
    throw new RuntimeError('E_BAD_OPTION', `topK must be a positive integer, got ${resolved.topK}`);
  }
  if (!(resolved.threshold >= 0 && resolved.threshold <= 1)) {
    throw new RuntimeError('E_BAD_OPTION', `threshold must be a probability in [0, 1], got ${resolved.threshold}`);
  }
  return resolved;
}

export interface ResolvedManyOptions {
  readonly concurrency: number;
  readonly embeddings: boolean;
  readonly onProgress: ((progress: ManyProgress) => void) | undefined;
  /** What each item's classify() (or analyze()) gets, the run's signal included. */
  readonly classify: ClassifyOptions;
}

/**
 * classifyMany's options with defaults applied; the classify options are checked here too, so a
 * bad topK fails the run at once instead of every item. `concurrency` defaults to the caller's
 * (a pool's is larger).
 */
export function resolveManyOptions(options: ManyOptions = {}, defaultConcurrency: number = MANY_DEFAULTS.concurrency): ResolvedManyOptions {
  const { concurrency = defaultConcurrency, embeddings = MANY_DEFAULTS.embeddings, onProgress, ...classify } = withDefaults({}, options);
  resolveClassifyOptions(classify);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RuntimeError('E_BAD_OPTION', `concurrency must be a positive integer (items in flight at once), got ${String(concurrency)}`);
  }
  if (typeof embeddings !== 'boolean') throw new RuntimeError('E_BAD_OPTION', `embeddings must be a boolean, got ${String(embeddings)}`);
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new RuntimeError('E_BAD_OPTION', `onProgress must be a function, got ${String(onProgress)}`);
  return { concurrency, embeddings, onProgress, classify };
}

/**
 * loadWorkerPool()'s options over POOL_DEFAULTS' backend and thread count; `size` is checked here
 * (the rest by each worker's load).
 */
export function resolvePoolOptions<O extends LoadOptions & { readonly size?: number }>(options: O): O {
  if (options === null || typeof options !== 'object') {
    throw new RuntimeError('E_BAD_OPTION', `loadWorkerPool() needs an options object like { modelUrl: '/models/inception_v3/model.json' }, got ${String(options)}`);
  }
  const { size } = options;
  if (size !== undefined && !(Number.isInteger(size) && size >= 1)) {
    throw new RuntimeError('E_BAD_OPTION', `size must be a positive integer (the number of workers), got ${String(size)}`);
  }
  const resolved = withDefaults({ backend: POOL_DEFAULTS.backend, wasmThreads: POOL_DEFAULTS.wasmThreads }, options) as O;
  resolveLoadOptions(resolved);
  return resolved;
}

// Page side of `npm run bench -- pool`: one contender per page (a worker pool, or one worker with
// a given WASM thread count), timed over classifyMany rounds of the same images.
import { loadWorkerClassifier, loadWorkerPool, type Classifier } from '../../src/index.js';

export interface PoolContenderSpec {
  readonly modelUrl: string;
  readonly wasmPaths: string;
  /** A pool of `size` single-threaded workers, or one worker running `wasmThreads` threads. */
  readonly kind: 'pool' | 'worker';
  readonly size?: number;
  readonly wasmThreads?: number;
}

export interface PoolContenderInfo {
  readonly workers: number;
  readonly backend: string;
  readonly wasmThreads: number | undefined;
  readonly crossOriginIsolated: boolean;
}

let classifier: Classifier | undefined;
let images: ImageData[] = [];

/** A deterministic 320×240 picture per seed (every image differs, so nothing is cached). */
function picture(seed: number): ImageData {
  const [width, height] = [320, 240];
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const [x, y] = [i % width, Math.floor(i / width)];
    data.set([(x * 3 + seed * 17) & 255, (y * 5 + seed * 29) & 255, ((x ^ y) + seed * 43) & 255, 255], i * 4);
  }
  return new ImageData(data, width, height);
}

export const poolBench = {
  async load(spec: PoolContenderSpec, imageCount: number): Promise<PoolContenderInfo> {
    images = Array.from({ length: imageCount }, (_, i) => picture(i));
    const model = { modelUrl: spec.modelUrl, wasmPaths: spec.wasmPaths };
    classifier =
      spec.kind === 'pool'
        ? await loadWorkerPool({ ...model, size: spec.size })
        : await loadWorkerClassifier({ ...model, backend: 'wasm', wasmThreads: spec.wasmThreads ?? 1 });
    const workers = spec.kind === 'pool' ? (classifier as Classifier & { size: number }).size : 1;
    return { workers, backend: classifier.backend, wasmThreads: classifier.backendReport.wasmThreads, crossOriginIsolated: window.crossOriginIsolated };
  },
  /** One round: every image through classifyMany at its default concurrency; returns milliseconds. */
  async round(): Promise<number> {
    if (!classifier) throw new Error('poolBench.load was not called');
    const started = performance.now();
    for await (const result of classifier.classifyMany(images)) if (!result.ok) throw result.error;
    return performance.now() - started;
  },
  dispose(): void {
    classifier?.dispose();
    classifier = undefined;
  },
};

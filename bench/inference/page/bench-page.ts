// The benchmark page: hosts one stack (ours, ONNX Runtime Web or LiteRT.js) and serves the driver's requests.
// Built by Vite in production mode, as an app would bundle the SDK.
import { clearModelCache, loadClassifier, type LoadOptions } from '../../../src/index.js';
import { gpuAdapter } from '../gpu-adapter.js';
import { liteRtStack } from '../litert-stack.js';
import { oursStack, type OursOptions } from '../ours-stack.js';
import { ortStack, type OrtModule } from '../ort-stack.js';
import { serve, type StackApi, type StackInfo, type StackReply, type StackRequest, type StackSpec } from '../protocol.js';
import { trackPeaks } from '../track-peaks.js';
import { PAGE_PATHS } from './page-paths.js';
import { liteRtRound, oursRound } from '../../profile/page-op-timings.js';
import type { SingleOpModel } from '../../profile/single-op-models.js';
import { poolBench } from '../../pool/pool-page.js';

declare global {
  interface Window {
    benchPage: typeof benchPage;
    poolBench: typeof poolBench;
    benchReady: boolean;
  }
}

const MB = 1e6;

let seedABytes: Promise<Uint8Array> | undefined;
const seedA = (): Promise<Uint8Array> =>
  (seedABytes ??= fetch(PAGE_PATHS.seedA).then(async (response) => new Uint8Array(await response.arrayBuffer())));

/** Loads twice: from the network into an empty cache, then from that cache. */
async function loadOursTwice(spec: OursOptions) {
  const options: LoadOptions = { modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, ...spec, preprocess: 'none', cache: true };
  await clearModelCache(PAGE_PATHS.model);
  const network = await loadClassifier(options);
  network.dispose();
  // The shaders are compiled by now; a second warm-up would only lengthen slow emulated runs.
  const cached = await loadClassifier({ ...options, warmup: false });
  if (network.timings.fromCache || !cached.timings.fromCache) throw new Error('expected a network load and then a cache load');
  const tuningMs = (c: typeof network) => c.backendReport.webgpuPlan?.tuningMs;
  const load = (source: 'network' | 'cache', c: typeof network) => ({ source, timings: c.timings, ...(tuningMs(c) !== undefined && { webgpuTuningMs: tuningMs(c) }) });
  return { classifier: cached, loads: [load('network', network), load('cache', cached)] };
}

const fetchBytes = (url: string) => async () => new Uint8Array(await (await fetch(url)).arrayBuffer());

async function createStack(spec: StackSpec): Promise<StackApi> {
  if (spec.stack === 'ours') return oursStack(spec, loadOursTwice, seedA);
  if (spec.stack === 'litert') return liteRtStack(await import('@litertjs/core'), spec, PAGE_PATHS.litert, { source: 'network', read: fetchBytes(PAGE_PATHS.tflite) }, seedA);
  const ort = (await import(/* @vite-ignore */ `${PAGE_PATHS.ort}ort.min.mjs`)) as OrtModule;
  ort.env.wasm.wasmPaths = PAGE_PATHS.ort;
  return ortStack(ort, spec, { source: 'network', read: fetchBytes(PAGE_PATHS.onnx) }, seedA);
}

/** performance.memory is Chromium-only (precise with --enable-precise-memory-info). */
const jsHeapMB = (): number | undefined => {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory && memory.usedJSHeapSize / MB;
};

function webGlRenderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return null;
  // The plain RENDERER string is masked ('WebKit WebGL'); this names SwiftShader or the GPU.
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

let api: StackApi | undefined;

const benchPage = {
  async start(spec: StackSpec): Promise<void> {
    api = trackPeaks(await createStack(spec), { jsHeapMB, rssPeakMB: () => undefined });
  },
  call(request: StackRequest): Promise<StackReply> {
    if (!api) return Promise.resolve({ ok: false, error: 'benchPage.start was not called' });
    return serve(api, request);
  },
  /** One load of the synthetic model with `options`, for the load-cost benchmark: its timings and report. */
  async loadOnce(options: Partial<LoadOptions>) {
    const classifier = await loadClassifier({ modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, ...options });
    classifier.dispose();
    return { timings: classifier.timings, backendReport: classifier.backendReport };
  },
  /** A round of the op profile against LiteRT.js: our kernels' times on WASM, 1 thread... */
  oursRound: async () => oursRound(await seedA()),
  /** ... and LiteRT.js's time for each single-op model written from them. */
  liteRtRound: (models: readonly SingleOpModel[], binary?: string) => liteRtRound(models, PAGE_PATHS.ops, binary),
  /** What this browser offers, recorded with every run. */
  async environment(): Promise<StackInfo> {
    return {
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: window.crossOriginIsolated,
      webGpuAdapter: await gpuAdapter(),
      webGlRenderer: webGlRenderer(),
    };
  },
};

window.benchPage = benchPage;
window.poolBench = poolBench;
window.benchReady = true;

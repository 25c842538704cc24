/** Our SDK as a benchmarked stack: the public classifier API, exactly what users call. */
import * as tf from '@tensorflow/tfjs-core';
import type { Classifier, LoadOptions, LoadTimings } from '../../src/index.js';
import { gpuAdapter } from './gpu-adapter.js';
import type { LoadReport, StackApi, StackInfo, StackSpec } from './protocol.js';
import { SEED_A_IMAGES, SIDE, seedImage } from './seed-batch.js';

export interface OursLoad {
  readonly source: LoadReport['loads'][number]['source'];
  readonly timings: LoadTimings;
  /** On WebGPU: what this load spent tuning our conv kernels (0 when the plan came from the cache). */
  readonly webgpuTuningMs?: number;
}

/** The load options a StackSpec sets; hosts add where the model comes from. */
export type OursOptions = Pick<LoadOptions, 'backend' | 'wasmThreads' | 'webgpuKernels' | 'webgpuShaderF16'>;

/** Host-specific loading (browser: network then cache; Node: disk): the classifier and every load made. */
export type LoadOurs = (options: OursOptions) => Promise<{ readonly classifier: Classifier; readonly loads: readonly OursLoad[] }>;

const MB = 1e6;

/** Loading without the warm-up, which is reported as the cold first inference. */
const loadMs = (t: LoadTimings): number => t.totalMs - t.warmupMs;

/** The WebGPU conv plan in one line: which kernels, where the plan came from, how many shapes run ours. */
function planSummary(classifier: Classifier | undefined): string | null {
  const plan = classifier?.backendReport.webgpuPlan;
  if (!plan) return null;
  const choices = Object.values(plan.choices);
  const oursCount = choices.filter((c) => c !== 'stock').length;
  // A plan lists only the shapes it timed; those the budget did not reach run on stock.
  const untimed = plan.complete ? '' : ', the budget ran out: every untimed conv shape on stock';
  const shapes = plan.kernels === 'tuned' ? `, ${choices.length} conv shapes timed, ${oursCount} of them on ours${untimed}` : '';
  const tuning = plan.source === 'tuned' ? `, tuned in ${(plan.tuningMs / 1000).toFixed(1)} s` : '';
  return `${plan.kernels} (plan: ${plan.source}${shapes}${tuning})`;
}

export function oursStack(spec: StackSpec, loadOurs: LoadOurs, seedA: () => Promise<Uint8Array>): StackApi {
  let classifier: Classifier | undefined;
  let pictures: tf.Tensor3D[] = [];
  const loaded = (): Classifier => {
    if (!classifier) throw new Error('call load first');
    return classifier;
  };
  /** `batch` inputs cycling through the seedA pictures, made once: the timed call starts from tensors. */
  const images = async (batch: number): Promise<tf.Tensor3D[]> => {
    if (pictures.length === 0) {
      const bytes = await seedA();
      pictures = Array.from({ length: SEED_A_IMAGES }, (_, i) => tf.tensor3d(Int32Array.from(seedImage(bytes, i)), [SIDE, SIDE, 3], 'int32'));
    }
    return Array.from({ length: batch }, (_, i) => pictures[i % pictures.length] as tf.Tensor3D);
  };
  return {
    info: async (): Promise<StackInfo> => ({
      stack: 'inception-webgpu (TF.js)',
      tfjs: tf.version_core,
      backend: classifier?.backend ?? spec.backend,
      threads: classifier?.backendReport.wasmThreads ?? null,
      webGpuAdapter: classifier?.backend === 'webgpu' ? await gpuAdapter() : null,
      tfjsFlags: spec.tfjsFlags ? JSON.stringify(spec.tfjsFlags) : null,
      webgpuKernels: planSummary(classifier),
    }),
    load: async (): Promise<LoadReport> => {
      const result = await loadOurs({
        backend: spec.backend,
        ...(spec.threads !== undefined && { wasmThreads: spec.threads }),
        ...(spec.webgpuKernels && { webgpuKernels: spec.webgpuKernels }),
        ...(spec.webgpuShaderF16 && { webgpuShaderF16: spec.webgpuShaderF16 }),
      });
      classifier = result.classifier;
      for (const [flag, value] of Object.entries(spec.tfjsFlags ?? {})) tf.env().set(flag, value);
      if (classifier.backend !== spec.backend) throw new Error(`asked for backend ${spec.backend}, got ${classifier.backend}: ${JSON.stringify(classifier.backendReport)}`);
      const [first] = result.loads;
      if (!first) throw new Error('the loader reported no load');
      const detail = Object.fromEntries(result.loads.flatMap(({ source, timings, webgpuTuningMs }) =>
        Object.entries({ ...timings, ...(webgpuTuningMs !== undefined && { webgpuTuningMs }) }).map(([key, value]) => [`${source}.${key}`, value] as const)));
      return { loads: result.loads.map(({ source, timings }) => ({ source, ms: loadMs(timings) })), coldFirstMs: first.timings.warmupMs, detail };
    },
    logits: async () => Array.from(await loaded().logits((await images(1))[0] as tf.Tensor3D)),
    run: async (batch) => {
      const inputs = await images(batch);
      const started = performance.now();
      await loaded().logits(inputs);
      return performance.now() - started;
    },
    peakBackendMB: async (batch) => {
      const inputs = await images(batch);
      const profile = await tf.profile(async () => {
        await loaded().logits(inputs);
      });
      return profile.peakBytes / MB;
    },
    memory: async () => ({ backendMB: tf.memory().numBytes / MB }),
  };
}

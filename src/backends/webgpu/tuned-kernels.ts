import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ModelCache } from '../../load/model-cache.js';
import type { WebGpuKernels } from '../../options.js';
import { autotune } from './autotune.js';
import { installChannelPartsKernel } from './channel-parts-kernel.js';
import { installConvKernels, recordConvs, routeShapes, routing } from './conv-kernels.js';
import { choiceName, type KernelChoice } from './kernel-config.js';
import { adapterName, planCacheKey, readPlan, writePlan, type AdapterFields } from './plan-cache.js';

/** Which kernel runs each conv on WebGPU, and what deciding it cost: `backendReport.webgpuPlan`. */
export interface WebGpuPlan {
  readonly kernels: WebGpuKernels;
  /** 'cache': a plan tuned by an earlier load; 'tuned': tuned by this load; 'none': 'ours' or 'stock'. */
  readonly source: 'cache' | 'tuned' | 'none';
  /** The GPU the plan is for: vendor/architecture/device/description. */
  readonly adapter: string;
  /** Per conv shape (`1x17x17x768>1x1x192/s1p0,0`), 'stock' or our kernel's configuration ('gemm 4x2'). */
  readonly choices: Readonly<Record<string, string>>;
  /** Time this load spent tuning (0 when the plan came from the cache). */
  readonly tuningMs: number;
  /** False when the tuning budget ran out: the shapes it did not reach run on stock. */
  readonly complete: boolean;
}

export interface PlanSetup {
  readonly kernels: WebGpuKernels;
  readonly tuningBudgetMs: number;
  /** Identifies the model (metadata.weights.sha256). */
  readonly modelSha256: string;
  /** Where plans are kept between loads; undefined in Node, which tunes at every load. */
  readonly cache: ModelCache | undefined;
  /** One inference of the model: records the conv shapes to tune. */
  readonly runModel: () => Promise<void>;
}

/** The adapter's identity, from the device where the browser exposes it, else from a new adapter request. */
async function adapterInfo(): Promise<AdapterFields> {
  const device = (tf.backend() as WebGPUBackend).device as GPUDevice & { adapterInfo?: AdapterFields };
  if (device.adapterInfo) return device.adapterInfo;
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  return (adapter as (GPUAdapter & { info?: AdapterFields }) | null)?.info ?? {};
}

function applyChoices(choices: Readonly<Record<string, KernelChoice>>): Record<string, string> {
  routeShapes(choices);
  return Object.fromEntries(Object.entries(choices).map(([key, choice]) => [key, choiceName(choice)]));
}

/**
 * Sets up the conv kernels for the model on the active WebGPU backend: 'stock' leaves TF.js's,
 * 'ours' runs ours everywhere, 'tuned' applies the cached plan for this adapter and model, or
 * tunes one (within the budget) and caches it.
 */
export async function prepareWebGpuKernels(setup: PlanSetup): Promise<WebGpuPlan> {
  const adapter = adapterName(await adapterInfo());
  const plan = { kernels: setup.kernels, adapter, source: 'none', choices: {}, tuningMs: 0, complete: true } as const;
  if (setup.kernels === 'stock') return plan;
  installConvKernels();
  installChannelPartsKernel();
  if (setup.kernels === 'ours') {
    routing.unplanned = 'ours';
    return plan;
  }
  const key = planCacheKey(adapter, setup.modelSha256);
  const cached = setup.cache && (await readPlan(setup.cache, key));
  if (cached) return { ...plan, source: 'cache', choices: applyChoices(cached.choices), complete: cached.complete };
  const tuned = await autotune(await recordConvs(setup.runModel), setup.tuningBudgetMs);
  if (setup.cache) await writePlan(setup.cache, key, { version: 1, choices: tuned.choices, tuningMs: tuned.tuningMs, complete: tuned.complete });
  return { ...plan, source: 'tuned', choices: applyChoices(tuned.choices), tuningMs: tuned.tuningMs, complete: tuned.complete };
}

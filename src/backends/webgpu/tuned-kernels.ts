import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ModelCache } from '../../load/model-cache.js';
import type { WebGpuKernels } from '../../options.js';
import { autotune, untunedKind } from './autotune.js';
import { installChannelPartsKernel } from './channel-parts-kernel.js';
import { installMeanKernel } from './mean-kernel.js';
import { installConvKernels, recordConvs, routeShapes, routing } from './conv-kernels.js';
import { SHADER_F16 } from './implicit-gemm-program.js';
import { choiceName, isF16, type KernelChoice } from './kernel-config.js';
import { adapterName, planCacheKey, readPlan, writePlan, type AdapterFields, type StoredPlan } from './plan-cache.js';

/**
 * What became of the f16 kernels (webgpuShaderF16): 'used' on at least one conv (the self-check
 * passed at the float16 bound), 'unused' (f32 was faster on every shape), 'dropped' (the
 * self-check drifted beyond that bound, so f32 kernels run), 'unavailable' (`reason` says why).
 */
export interface ShaderF16Outcome {
  readonly status: 'used' | 'unused' | 'dropped' | 'unavailable';
  readonly reason?: string;
}

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
  /**
   * False when the tuning budget ran out: the shapes it did not reach run as `untuned` says, and
   * the next load with the cache tunes more of them.
   */
  readonly complete: boolean;
  /** Where untuned shapes run: ours where ours won most of the work tuned so far, else stock. */
  readonly untuned: 'ours' | 'stock';
  /** Set when webgpuShaderF16 asked for f16 kernels. */
  readonly shaderF16?: ShaderF16Outcome;
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
  /** webgpuShaderF16: false, true, or why the load cannot have them (e.g. no self-check to guard them). */
  readonly shaderF16: boolean | { readonly unavailable: string };
}

/** The plan applied, and while f16 kernels run, how to drop them. */
export interface PreparedKernels {
  readonly plan: WebGpuPlan;
  /** Routes every conv off the f16 kernels (to its f32 choice, cached so), giving the plan that results. */
  readonly dropF16?: (reason: string) => Promise<WebGpuPlan>;
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

/** Whether f16 kernels may be tried: undefined when not asked for, else the outcome so far. */
function shaderF16Setup(setup: PlanSetup): ShaderF16Outcome | undefined {
  if (setup.shaderF16 === false) return undefined;
  if (setup.shaderF16 !== true) return { status: 'unavailable', reason: setup.shaderF16.unavailable };
  if (setup.kernels === 'stock') return { status: 'unavailable', reason: "webgpuKernels is 'stock'" };
  if (!(tf.backend() as WebGPUBackend).device.features.has(SHADER_F16)) {
    return { status: 'unavailable', reason: "the WebGPU device has no 'shader-f16' (the adapter lacks it, or an earlier load in this page started WebGPU without it)" };
  }
  return { status: 'used' };
}

/**
 * Sets up the conv kernels for the model on the active WebGPU backend: 'stock' leaves TF.js's,
 * 'ours' runs ours everywhere, 'tuned' applies the cached plan for this adapter and model, or
 * tunes one (within the budget) and caches it. With f16 kernels allowed, 'ours' runs them and
 * 'tuned' times them too; while any runs, `dropF16` is there for the self-check.
 */
export async function prepareWebGpuKernels(setup: PlanSetup): Promise<PreparedKernels> {
  const adapter = adapterName(await adapterInfo());
  const f16 = shaderF16Setup(setup);
  const plan = { kernels: setup.kernels, adapter, source: 'none', choices: {}, tuningMs: 0, complete: true, untuned: setup.kernels === 'ours' ? 'ours' : 'stock', ...(f16 && { shaderF16: f16 }) } as const;
  if (setup.kernels === 'stock') return { plan };
  installConvKernels();
  installChannelPartsKernel();
  installMeanKernel();
  const withF16 = f16?.status === 'used';
  if (setup.kernels === 'ours') {
    routing.unplanned = withF16 ? 'f16' : 'f32';
    const dropF16 = async (reason: string): Promise<WebGpuPlan> => {
      routing.unplanned = 'f32';
      return { ...plan, shaderF16: { status: 'dropped', reason } };
    };
    return withF16 ? { plan, dropF16 } : { plan };
  }
  const key = planCacheKey(adapter, setup.modelSha256, withF16);
  const stored = setup.cache && (await readPlan(setup.cache, key));
  const made = stored?.complete ? stored : await tunePlan(setup, key, withF16, stored);
  const untuned = made.untuned ?? 'stock';
  routing.unplanned = untuned === 'ours' ? 'f32' : 'stock';
  const base = { ...plan, source: made === stored ? 'cache' : 'tuned', tuningMs: made === stored ? 0 : made.tuningMs, complete: made.complete, untuned } as const;
  const shaderF16 = withF16 ? f16Outcome(made) : f16;
  const applied: WebGpuPlan = { ...base, choices: applyChoices(made.choices), ...(shaderF16 && { shaderF16 }) };
  if (shaderF16?.status !== 'used') return { plan: applied };
  const dropF16 = async (reason: string): Promise<WebGpuPlan> => {
    const dropped = withoutF16(made, reason);
    if (setup.cache) await writePlan(setup.cache, key, dropped);
    return { ...base, choices: applyChoices(dropped.choices), shaderF16: { status: 'dropped', reason } };
  };
  return { plan: applied, dropF16 };
}

/**
 * Tunes the model's conv shapes that `earlier` (an incomplete plan from an earlier load) has not
 * timed, within the budget, and caches the merged plan under `key`.
 */
async function tunePlan(setup: PlanSetup, key: string, f16: boolean, earlier?: StoredPlan): Promise<StoredPlan> {
  const convs = await recordConvs(setup.runModel);
  const left = new Map([...convs].filter(([shape]) => !earlier?.choices[shape]));
  const tuned = await autotune(left, setup.tuningBudgetMs, f16);
  const choices = { ...earlier?.choices, ...tuned.choices };
  const f32Choices = { ...earlier?.f32Choices, ...tuned.f32Choices };
  const plan: StoredPlan = { version: 1, choices, ...(f16 && { f32Choices }), tuningMs: tuned.tuningMs, complete: tuned.complete, untuned: untunedKind(choices, convs) };
  if (setup.cache) await writePlan(setup.cache, key, plan);
  return plan;
}

/** `plan` with each f16 choice replaced by its f32 one, and why. */
export function withoutF16(plan: StoredPlan, reason: string): StoredPlan {
  return { ...plan, choices: { ...plan.choices, ...plan.f32Choices }, f16Dropped: reason };
}

/** What a plan tuned with f16 candidates does with them. */
export function f16Outcome(plan: StoredPlan): ShaderF16Outcome {
  if (plan.f16Dropped !== undefined) return { status: 'dropped', reason: `${plan.f16Dropped} (at an earlier load; the plan is cached so)` };
  return Object.values(plan.choices).some(isF16) ? { status: 'used' } : { status: 'unused' };
}

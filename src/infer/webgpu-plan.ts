import type { PlanSetup, PreparedKernels } from '../backends/webgpu/tuned-kernels.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { defaultModelCache } from '../load/model-cache.js';
import type { ResolvedLoadOptions } from '../options.js';

/** webgpuShaderF16 as the plan takes it: f16 kernels run only where the self-check can guard them. */
export function shaderF16Setting(options: ResolvedLoadOptions, metadata: InceptionModelMetadata): PlanSetup['shaderF16'] {
  if (!options.webgpuShaderF16) return false;
  if (!options.selfCheck) return { unavailable: 'selfCheck is false, and f16 kernels run only behind the self-check' };
  if (!metadata.selfCheck) return { unavailable: 'the model stores no golden outputs for the self-check, and f16 kernels run only behind it' };
  return true;
}

/** Our WebGPU conv kernels for this model, as options.webgpuKernels asks (the plan cached with the model). */
export async function planWebGpuKernels(options: ResolvedLoadOptions, metadata: InceptionModelMetadata, runModel: () => Promise<void>): Promise<PreparedKernels> {
  const { prepareWebGpuKernels } = await import('../backends/webgpu/tuned-kernels.js');
  return prepareWebGpuKernels({
    kernels: options.webgpuKernels,
    tuningBudgetMs: options.webgpuTuningBudgetMs,
    modelSha256: metadata.weights.sha256,
    cache: options.cache ? defaultModelCache() : undefined,
    runModel,
    shaderF16: shaderF16Setting(options, metadata),
  });
}

import type { WebGpuPlan } from '../backends/webgpu/tuned-kernels.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { defaultModelCache } from '../load/model-cache.js';
import type { ResolvedLoadOptions } from '../options.js';

/** Our WebGPU conv kernels for this model, as options.webgpuKernels asks (the plan cached with the model). */
export async function planWebGpuKernels(options: ResolvedLoadOptions, metadata: InceptionModelMetadata, runModel: () => Promise<void>): Promise<WebGpuPlan> {
  const { prepareWebGpuKernels } = await import('../backends/webgpu/tuned-kernels.js');
  return prepareWebGpuKernels({
    kernels: options.webgpuKernels,
    tuningBudgetMs: options.webgpuTuningBudgetMs,
    modelSha256: metadata.weights.sha256,
    cache: options.cache ? defaultModelCache() : undefined,
    runModel,
  });
}

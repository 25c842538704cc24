/**
 * Run in a process whose environment points Dawn at an adapter (lavapipe here): the classifier
 * on WebGPU with our kernels forced on every conv ('ours'), on seedA image 0 against PyTorch;
 * then a tuning run with a small budget into a memory cache, a second one that must go on from
 * it, and (once the stored plan is marked complete, which tuning all 43 shapes would take
 * minutes to reach here) a third that must read it.
 * Prints one JSON object.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '../../../../src/node/index.js';
import { readPlan, writePlan } from '../../../../src/backends/webgpu/plan-cache.js';
import { prepareWebGpuKernels, type PlanSetup } from '../../../../src/backends/webgpu/tuned-kernels.js';
import { maxAbsDiff } from '../../../../tools/reference/logit-compare.js';
import { seedALogits, seedAPixels } from '../../../../tools/reference/seed-a.js';
import { memoryModelCache } from '../../../load/memory-model-cache.js';

const [modelDir = ''] = process.argv.slice(2);
const classifier = await loadClassifier({ modelUrl: modelDir, backend: 'webgpu', preprocess: 'none', webgpuKernels: 'ours' });
const image = tf.tensor3d(seedAPixels(0), [299, 299, 3]);
const ours = await classifier.logits(image);

const cache = memoryModelCache();
const setup: PlanSetup = {
  kernels: 'tuned',
  tuningBudgetMs: Number(process.argv[3] ?? 3000),
  modelSha256: classifier.metadata.weights.sha256,
  cache,
  runModel: async () => void (await classifier.logits(image)),
  shaderF16: false,
};
const { plan: tuned } = await prepareWebGpuKernels(setup);
const { plan: continued } = await prepareWebGpuKernels(setup);
const [key = ''] = cache.keys();
const stored = await readPlan(cache, key);
if (stored) await writePlan(cache, key, { ...stored, complete: true });
const { plan: cached } = await prepareWebGpuKernels(setup);
const afterTuning = await classifier.logits(image);
console.log(
  JSON.stringify({
    plan: classifier.backendReport.webgpuPlan,
    oursVsPyTorch: maxAbsDiff(ours, seedALogits(0)),
    tunedVsPyTorch: maxAbsDiff(afterTuning, seedALogits(0)),
    tuned,
    continued,
    cached,
    cacheKeys: cache.keys(),
  }),
);
process.exit(0);

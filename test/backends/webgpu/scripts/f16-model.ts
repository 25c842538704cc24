/**
 * Run in a process whose environment points Dawn at an adapter with 'shader-f16' (lavapipe here):
 * the classifier on WebGPU with webgpuShaderF16 and our kernels on every conv ('ours'), on seedA
 * image 0 against PyTorch. With the argument 'drift', every f16 shader scales its sums by 1.05
 * first (an f16 path that computes wrong), so the self-check must drop the f16 kernels. With
 * 'tuned', the autotuner times f16 kernels with the others (within an 8 s budget).
 * Prints one JSON object.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '../../../../src/node/index.js';
import { routing } from '../../../../src/backends/webgpu/conv-kernels.js';
import { ENABLE_F16, ImplicitGemmProgram } from '../../../../src/backends/webgpu/implicit-gemm-program.js';
import { maxAbsDiff } from '../../../../tools/reference/logit-compare.js';
import { seedALogits, seedAPixels } from '../../../../tools/reference/seed-a.js';

const [modelDir = '', mode = ''] = process.argv.slice(2);
/** f16 shaders built (each compiled once per shape and configuration). */
let f16Shaders = 0;
const userCode = ImplicitGemmProgram.prototype.getUserCode;
ImplicitGemmProgram.prototype.getUserCode = function (this: ImplicitGemmProgram) {
  const code = userCode.call(this);
  if (!code.includes(ENABLE_F16)) return code;
  f16Shaders += 1;
  // Where the f16 partial sums join the f32 ones: `vec4<f32>(h0_1)` (or `f32(h0_1)`).
  return mode === 'drift' ? code.replace(/(vec4<f32>|f32)\((h\d+_\d+)\)/g, '$1($2 * 1.05)') : code;
};
const kernels = mode === 'tuned' ? 'tuned' : 'ours';
const classifier = await loadClassifier({ modelUrl: modelDir, backend: 'webgpu', preprocess: 'none', webgpuKernels: kernels, webgpuTuningBudgetMs: 8000, webgpuShaderF16: true });
const image = tf.tensor3d(seedAPixels(0), [299, 299, 3]);
const logits = await classifier.logits(image);
const { webgpuPlan, selfCheck, notes } = classifier.backendReport;
console.log(JSON.stringify({ plan: webgpuPlan, selfCheck, notes, unplanned: routing.unplanned, f16Shaders, vsPyTorch: maxAbsDiff(logits, seedALogits(0)) }));
process.exit(0);

/**
 * Our f16 conv kernels (webgpuShaderF16) against our f32 ones, in one Node process on a device
 * with 'shader-f16':
 *   eval "$(bash scripts/setup-lavapipe.sh)"   # or a real GPU
 *   npx tsx bench/profile/webgpu-f16.ts [modelDir or ""] [rounds]
 * Times every candidate (the autotuner's own timing) on a few of Inception's conv shapes, then
 * whole inferences (batch 1, execute + readback) with ours on every conv in f32 and in f16,
 * interleaved round by round. Prints markdown for docs/benchmarks.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { registerBackend } from '../../src/backends/register-backend.js';
import { autotune } from '../../src/backends/webgpu/autotune.js';
import { clearRoutes, installConvKernels, routing, type RecordedConv } from '../../src/backends/webgpu/conv-kernels.js';
import { convShape, shapeKey } from '../../src/backends/webgpu/conv-shape.js';
import { installNodeWebGpu } from '../../src/node/install-webgpu.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { loadModelDir } from '../../tools/models/tf-node.js';
import { median, pairedRatio } from '../stats.js';
import { latencyMs } from './model-latency.js';

/** [input NHWC, filter HWIO, stride, padding]: the costliest conv, a stride-2 3×3, a 1×7, long-K and split-K 1×1s. */
const SHAPES: readonly [[number, number, number, number], [number, number, number, number], number, 'valid' | 'same'][] = [
  [[1, 73, 73, 80], [3, 3, 80, 192], 1, 'valid'],
  [[1, 35, 35, 288], [3, 3, 288, 384], 2, 'valid'],
  [[1, 17, 17, 160], [1, 7, 160, 192], 1, 'same'],
  [[1, 35, 35, 192], [1, 1, 192, 64], 1, 'valid'],
  [[1, 17, 17, 768], [1, 1, 768, 192], 1, 'valid'],
  [[1, 8, 8, 2048], [1, 1, 2048, 448], 1, 'valid'],
];

const [dirArg, roundsArg] = process.argv.slice(2);
await installNodeWebGpu();
await registerBackend('webgpu', { webgpuShaderF16: true });
if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU failed to initialise');
installConvKernels();

const convs = new Map<string, RecordedConv>();
for (const [x, filter, stride, pad] of SHAPES) {
  const shape = convShape(backend_util.computeConv2DInfo(x, filter, stride, 1, pad));
  if (shape) convs.set(shapeKey(shape), { shape, pad });
}
const tuned = await autotune(convs, Infinity, true);

const fastest = (timing: Record<string, number>, f16: boolean): [string, number] =>
  Object.entries(timing)
    .filter(([name]) => name !== 'stock' && name.endsWith(' f16') === f16)
    .sort((a, b) => a[1] - b[1])[0] ?? ['-', Number.NaN];
console.log(`## f16 vs f32 conv kernels (ours), ${tf.version_core}, batch 1\n`);
console.log('| conv shape | fastest f32 | ms | fastest f16 | ms | f16 / f32 |\n|---|---|---|---|---|---|');
for (const [key, timing] of Object.entries(tuned.timings)) {
  const [f32, f32Ms] = fastest(timing, false);
  const [f16, f16Ms] = fastest(timing, true);
  console.log(`| ${key} | ${f32} | ${f32Ms.toFixed(1)} | ${f16} | ${f16Ms.toFixed(1)} | ${(f16Ms / f32Ms).toFixed(2)}× |`);
}

const model = await loadModelDir(dirArg || (await syntheticModelDir('float32')));
const input = tf.randomUniform([1, 299, 299, 3], 0, 255);
clearRoutes();
const forms = { 'ours f32': 'f32', 'ours f16': 'f16' } as const;
const times: Record<string, number[]> = { 'ours f32': [], 'ours f16': [] };
for (const precision of Object.values(forms)) {
  routing.unplanned = precision;
  await latencyMs(model, input); // shaders
}
const names = Object.keys(forms) as (keyof typeof forms)[];
for (let round = 0; round < Number(roundsArg ?? 3); round++) {
  for (const name of round % 2 ? [...names].reverse() : names) {
    routing.unplanned = forms[name];
    times[name]?.push(await latencyMs(model, input));
  }
}
const f32Times = times['ours f32'] ?? [];
console.log('\n| inference, ours on every conv | median ms | / f32 (paired) |\n|---|---|---|');
for (const [name, list] of Object.entries(times)) console.log(`| ${name} | ${median(list).toFixed(0)} | ${pairedRatio(list, f32Times).toFixed(2)}× |`);
process.exit(0);

/**
 * Run in a process whose environment points Dawn at an adapter (lavapipe here). Prints JSON lines:
 * - per case, our WebGPU channel-parts kernel against the same parts computed with TF.js's ops
 *   (ranges read from the middle of a wider tensor, spans written side by side, every part kind);
 * - for the default model (argv[2]) and the fused one (argv[3]), the plain graph vs the graph
 *   rewritten at load (the default's sibling 1×1 convs fused too), our kernels on every conv:
 *   the largest logit gap and the programs each inference dispatches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { loadForOurKernels } from '../../../../src/backends/webgpu/channel-parts-graph.js';
import { channelPartsWithOps } from '../../../../src/backends/webgpu/channel-parts-op.js';
import { CHANNEL_PARTS_OP, type ChannelPart } from '../../../../src/backends/webgpu/channel-parts.js';
import { routing } from '../../../../src/backends/webgpu/conv-kernels.js';
import { gemm } from '../../../../src/backends/webgpu/kernel-config.js';
import { readModelArtifacts, resolveModelJson } from '../../../../tools/models/model-file-handler.js';
import { countPrograms, useOurKernels } from '../../../../tools/gpu/webgpu-programs.js';
import { useBackend } from '../../../../tools/models/tf-node.js';

await useBackend('webgpu');
useOurKernels();

const x = tf.randomUniform([1, 17, 17, 768], -1, 1);
const odd = tf.randomUniform([1, 9, 11, 22], -1, 1);
const pixels = tf.randomUniform([1, 35, 35, 3], 0, 255, 'int32'); // preprocess 'none' feeds int32 pixels
const weights = (shape: number[]) => tf.randomUniform(shape, -0.1, 0.1);
const conv = { kind: 'conv', operands: 3, strides: [1, 1], window: [1, 1], padding: 'same', activation: 'relu', bias: true } as const;
const copy = { ...conv, kind: 'copy', operands: 1 } as const;
const CASES: [string, ChannelPart[], tf.Tensor[]][] = [
  ['1×7 conv reading channels 192–384 of 768', [{ ...conv, begin: 192, count: 192 }], [x, weights([1, 7, 192, 160]), weights([160])]],
  ['1×1 conv of the whole input, split-K', [{ ...conv, begin: 0, count: -1, padding: 'valid' }], [x, weights([1, 1, 768, 192]), weights([192])]],
  ['PReLU head and a copied range side by side', [{ ...conv, operands: 4, begin: 0, count: -1, activation: 'prelu' }, { ...copy, begin: 64, count: 32 }], [x, weights([1, 1, 768, 96]), weights([96]), tf.tensor1d(Array.from({ length: 96 }, (_, i) => i % 2)), x]],
  ['average (depthwise) of a range', [{ ...conv, kind: 'depthwise', begin: 32, count: 64 }], [x, tf.fill([3, 3, 64, 1], 1 / 9), weights([64])]],
  ['Mixed_6a-like: stride-2 conv, max pool', [{ ...conv, strides: [2, 2], padding: 'valid', begin: 0, count: -1 }, { ...copy, kind: 'max', window: [3, 3], strides: [2, 2], padding: 'valid', begin: 0, count: -1 }], [x, weights([3, 3, 768, 64]), weights([64]), x]],
  ['first conv: 3×3 stride 2, normalising its input as it reads it', [{ ...conv, padding: 'valid', strides: [2, 2], begin: 0, count: -1, affine: { scale: 1 / 127.5, shift: -1 } }], [pixels, weights([3, 3, 3, 32]), weights([32])]],
  ['1×1 conv max-pooling its input (3×3 stride 2) as it reads it', [{ ...conv, padding: 'valid', begin: 0, count: -1, pool: { kind: 'max', window: [3, 3], strides: [2, 2], padding: 'valid' } }], [x, weights([1, 1, 768, 80]), weights([80])]],
  ['a copied range riding along an average of the same tensor (the fused heads\' branch1x1)', [{ ...copy, begin: 0, count: 64 }, { ...conv, kind: 'depthwise', begin: 160, count: 32 }], [x, x, tf.fill([3, 3, 32, 1], 1 / 9), weights([32])]],
  ['channels not multiples of 4 (scalar lanes), a copy riding along', [{ ...conv, begin: 3, count: 10, activation: 'linear' }, { ...copy, begin: 1, count: 5 }, { ...conv, kind: 'depthwise', begin: 13, count: 7 }], [odd, weights([3, 3, 10, 6]), weights([6]), odd, odd, tf.fill([3, 3, 7, 1], 1 / 9), weights([7])]],
];
routing.choices.set('1x17x17x768>1x1x192/s1p0,0', gemm(4, 1, 4));

for (const [name, parts, inputs] of CASES) {
  const tensors = tf.memory().numTensors;
  const want = channelPartsWithOps(parts, inputs);
  const got = tf.engine().runKernel(CHANNEL_PARTS_OP, Object.fromEntries(inputs.map((t, i) => [`${i}`, t])), { parts: JSON.stringify(parts) }) as tf.Tensor;
  const measures = tf.tidy(() => [tf.max(tf.abs(tf.sub(want, got))), tf.max(tf.abs(want))]);
  const [gap, scale] = await Promise.all(measures.map(async (t) => (await t.data())[0]));
  const line = { case: name, shape: got.shape, wantShape: want.shape, maxAbsDiff: gap, maxAbs: scale };
  tf.dispose([want, got, ...measures]);
  console.log(JSON.stringify({ ...line, leaked: tf.memory().numTensors - tensors }));
}

{
  // The embedding's Mean, one dispatch of ours, against a sum divided by the pixel count.
  const tensors = tf.memory().numTensors;
  const measures = tf.tidy(() => {
    const positive = tf.abs(x); // a mean far from 0, so that the check can fail
    const want = tf.div(tf.sum(positive, [1, 2]), 17 * 17);
    return [tf.max(tf.abs(tf.sub(want, tf.mean(positive, [1, 2])))), tf.max(tf.abs(want))];
  });
  const [gap, scale] = await Promise.all(measures.map(async (t) => (await t.data())[0]));
  tf.dispose(measures);
  console.log(JSON.stringify({ case: 'spatial Mean', shape: [1, 768], wantShape: [1, 768], maxAbsDiff: gap, maxAbs: scale, leaked: tf.memory().numTensors - tensors }));
}

/** Logits, and the programs one inference dispatched (after a first inference compiled them). */
async function inference(model: GraphModel, image: tf.Tensor): Promise<{ logits: Float32Array; dispatches: number }> {
  tf.dispose(model.execute(image, 'logits'));
  const { result, programs } = await countPrograms(async () => {
    const logits = model.execute(image, 'logits') as tf.Tensor;
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  });
  return { logits: result, dispatches: programs };
}

useOurKernels(); // every conv on its default configuration (no split-K reduce counted)
const image = tf.randomUniform([1, 299, 299, 3], 0, 255, 'float32', 3);
for (const [model, dir] of [['default', process.argv[2]], ['fused', process.argv[3]]]) {
  const artifacts = await readModelArtifacts(await resolveModelJson(dir ?? ''));
  const plain = await inference(await loadGraphModel(tf.io.fromMemory(artifacts)), image);
  const parts = await inference(await loadForOurKernels(artifacts), image);
  const gap = plain.logits.reduce((worst, value, i) => Math.max(worst, Math.abs(value - (parts.logits[i] ?? Number.NaN))), 0);
  console.log(JSON.stringify({ model, plainDispatches: plain.dispatches, partsDispatches: parts.dispatches, logitGap: gap }));
}
process.exit(0);

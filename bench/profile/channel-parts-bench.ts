/**
 * What the channel-parts rewrite buys on WebGPU, in one Node process (an adapter is needed:
 * `eval "$(bash scripts/setup-lavapipe.sh)"` here):
 *   npx tsx bench/profile/channel-parts-bench.ts <default model dir> <fused model dir> [rounds]
 * Four graphs, our conv kernels on every conv (default configurations, so no tuning time and the
 * same conv kernels everywhere) and our Mean: the default and the fused graph, each plain and
 * rewritten at load as the SDK does (the default graph's sibling 1×1 convs fused, channel parts).
 * Interleaved round by round, rotating who goes first; prints dispatches per inference, median ms
 * (batch 1, execute + readback) and the median of per-round ratios against the default plain graph.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { loadForOurKernels } from '../../src/backends/webgpu/channel-parts-graph.js';
import { readModelArtifacts, resolveModelJson } from '../../tools/models/model-file-handler.js';
import { countPrograms, useOurKernels } from '../../tools/gpu/webgpu-programs.js';
import { useBackend } from '../../tools/models/tf-node.js';
import { median, pairedRatio } from '../stats.js';
import { latencyMs } from './model-latency.js';

const [defaultDir, fusedDir, roundsArg] = process.argv.slice(2);
if (!defaultDir || !fusedDir) {
  console.error('usage: channel-parts-bench.ts <default model dir> <fused model dir> [rounds]');
  process.exit(2);
}
await useBackend('webgpu');
useOurKernels();

const [plainDefault, plainFused] = await Promise.all([defaultDir, fusedDir].map(async (dir) => readModelArtifacts(await resolveModelJson(dir))));
const graphs = {
  'default graph': () => loadGraphModel(tf.io.fromMemory(plainDefault!)),
  'default graph, rewritten': () => loadForOurKernels(plainDefault!),
  'fused graph': () => loadGraphModel(tf.io.fromMemory(plainFused!)),
  'fused graph, rewritten': () => loadForOurKernels(plainFused!),
};
const models = await Promise.all(Object.values(graphs).map((load) => load()));
const input = tf.randomUniform([1, 299, 299, 3], 0, 255);
for (const model of models) await latencyMs(model, input); // shaders, buffers
const counts: number[] = [];
for (const model of models) counts.push((await countPrograms(() => latencyMs(model, input))).programs);
const times: number[][] = models.map(() => []);
for (let round = 0; round < Number(roundsArg ?? 5); round++) {
  for (let k = 0; k < models.length; k++) {
    const i = (round + k) % models.length;
    times[i]!.push(await latencyMs(models[i]!, input));
  }
}
console.log('| graph | dispatches | median ms | / default graph (paired) |\n|---|---|---|---|');
Object.keys(graphs).forEach((name, i) => console.log(`| ${name} | ${counts[i]} | ${median(times[i]!).toFixed(0)} | ${pairedRatio(times[i]!, times[0]!).toFixed(3)} |`));
process.exit(0);

/**
 * A/B of two converted models on one backend in one Node process, interleaved round by round,
 * for graph changes: `npx tsx bench/profile/compare-models.ts <backend> <modelA> <modelB> [rounds]`
 * (backend wasm, cpu or webgpu; webgpu needs an adapter, e.g. lavapipe's env). Prints each
 * model's median latency at batch 1 (execute + readback) and the median of per-round B/A ratios.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadModelDir, useBackend, type NodeBackend } from '../../tools/models/tf-node.js';
import { median, pairedRatio } from '../stats.js';
import { latencyMs } from './model-latency.js';

const [backend, dirA, dirB, roundsArg] = process.argv.slice(2);
if (!backend || !dirA || !dirB) {
  console.error('usage: compare-models.ts <wasm|cpu|webgpu> <modelA dir> <modelB dir> [rounds]');
  process.exit(2);
}
await useBackend(backend as NodeBackend);
const models = [await loadModelDir(dirA), await loadModelDir(dirB)] as const;
const input = tf.randomUniform([1, 299, 299, 3], 0, 255);
for (const model of models) await latencyMs(model, input); // shaders, buffers
const times: [number[], number[]] = [[], []];
for (let round = 0; round < Number(roundsArg ?? 20); round++) {
  // Alternate who goes first, so neither side always runs on a warmer cache.
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) times[i as 0 | 1].push(await latencyMs(models[i as 0 | 1], input));
}
console.log(`${backend}: A ${median(times[0]).toFixed(1)} ms, B ${median(times[1]).toFixed(1)} ms, B/A ${pairedRatio(times[1], times[0]).toFixed(3)} (median of ${times[0].length} paired rounds)`);
process.exit(0);

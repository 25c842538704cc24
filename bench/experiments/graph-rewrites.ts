/**
 * Micro-benchmarks behind two graph rewrites, on the Inception block shapes (batch 1):
 *   npx tsx bench/experiments/graph-rewrites.ts <wasm|webgpu>
 * (webgpu needs an adapter: `eval "$(bash scripts/setup-lavapipe.sh)"` here.)
 *
 * - pool branch: pad + 3×3 average pool (counting the padding) + fused 1×1 conv, against a 1×1
 *   conv then a fused 3×3 depthwise average (what the converter emits; see
 *   converter/graph/passes/reorder-pool-branches.ts).
 * - sibling 1×1 convs: the 1×1 convs of a Mixed block that share an input, as separate fused
 *   convs against one fused conv with concatenated filters and a split (not adopted).
 * Prints medians of interleaved runs, readback included, and the largest difference between
 * the two forms of each pair.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type NodeBackend } from '../../tools/models/tf-node.js';
import { median } from '../stats.js';

type Form = () => tf.Tensor[];

async function timeMs(form: Form): Promise<number> {
  const start = performance.now();
  const outputs = form();
  await Promise.all(outputs.map((t) => t.data()));
  tf.dispose(outputs);
  return performance.now() - start;
}

async function compare(label: string, a: Form, b: Form, rounds: number): Promise<void> {
  const [outA, outB] = [a(), b()];
  const gaps = tf.tidy(() => tf.stack(outA.map((t, i) => tf.max(tf.abs(tf.sub(t, outB[i] as tf.Tensor))))));
  const diff = Math.max(...(await gaps.data()));
  tf.dispose([...outA, ...outB, gaps]);
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    times[0].push(await timeMs(a));
    times[1].push(await timeMs(b));
  }
  console.log(`${label}: ${median(times[0]).toFixed(2)} ms → ${median(times[1]).toFixed(2)} ms (max |Δ| ${diff.toExponential(1)})`);
}

const conv1x1 = (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.fused.conv2d({ x, filter, strides: 1, pad: 'valid', bias, activation: 'relu' });

function poolBranch(size: number, cin: number, cout: number): [Form, Form] {
  const x = tf.randomNormal<tf.Rank.R4>([1, size, size, cin]);
  const w = tf.randomNormal<tf.Rank.R4>([1, 1, cin, cout]);
  const bias = tf.randomNormal<tf.Rank.R1>([cout]);
  const average = tf.fill<tf.Rank.R4>([3, 3, cout, 1], 1 / 9);
  return [
    () => [tf.tidy(() => conv1x1(tf.avgPool(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 1, 'valid'), w, bias))],
    () => [tf.tidy(() => tf.fused.depthwiseConv2d({ x: tf.conv2d(x, w, 1, 'valid'), filter: average, strides: 1, pad: 'same', bias, activation: 'relu' }))],
  ];
}

function siblings(size: number, cin: number, couts: number[]): [Form, Form] {
  const x = tf.randomNormal<tf.Rank.R4>([1, size, size, cin]);
  const ws = couts.map((c) => tf.randomNormal<tf.Rank.R4>([1, 1, cin, c]));
  const bs = couts.map((c) => tf.randomNormal<tf.Rank.R1>([c]));
  const [wAll, bAll] = [tf.concat(ws, 3), tf.concat(bs)];
  return [() => ws.map((w, i) => conv1x1(x, w, bs[i] as tf.Tensor1D)), () => tf.tidy(() => tf.split(conv1x1(x, wAll, bAll), couts, 3))];
}

const backend = (process.argv[2] ?? 'wasm') as NodeBackend;
await useBackend(backend);
const rounds = backend === 'wasm' ? 30 : 6;
for (const [size, cin, cout] of [[35, 192, 32], [35, 288, 64], [17, 768, 192], [8, 1280, 192], [8, 2048, 192]] as const) {
  await compare(`pool branch ${size}×${size}×${cin} → ${cout}`, ...poolBranch(size, cin, cout), rounds);
}
for (const [size, cin, couts] of [[35, 192, [64, 48, 64]], [17, 768, [192, 160, 160]], [8, 1280, [320, 384, 448]], [8, 2048, [320, 384, 448]]] as const) {
  await compare(`sibling 1×1 convs ${size}×${size}×${cin} → ${couts.join('+')}`, ...siblings(size, cin, [...couts]), rounds);
}
process.exit(0);

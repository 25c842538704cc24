import * as tf from '@tensorflow/tfjs-core';
import { candidates } from './candidates.js';
import { routing, type RecordedConv } from './conv-kernels.js';
import { choiceName, isF16, type KernelChoice } from './kernel-config.js';

export interface TuneResult {
  /** The fastest choice per shape key; shapes left when the budget ran out are absent (stock). */
  readonly choices: Record<string, KernelChoice>;
  /** Per shape key where an f16 kernel won: the fastest f32 choice, run instead if f16 is dropped. */
  readonly f32Choices: Record<string, KernelChoice>;
  /** Per shape key, each candidate's time in ms per run. */
  readonly timings: Record<string, Record<string, number>>;
  readonly tuningMs: number;
  /** False when the budget ran out before every shape was timed. */
  readonly complete: boolean;
}

/**
 * Where the shapes a budget did not reach should run until a later load times them: on ours
 * when ours won most of the work timed (the costliest shapes come first), else on stock. A slow
 * device (SwiftShader compiles a shader in seconds) may time only a shape or two per load.
 */
export function untunedKind(choices: Readonly<Record<string, KernelChoice>>, convs: ReadonlyMap<string, RecordedConv>): 'ours' | 'stock' {
  let [ours, total] = [0, 0];
  for (const [key, choice] of Object.entries(choices)) {
    const conv = convs.get(key);
    if (!conv) continue;
    total += work(conv);
    if (choice.kind === 'gemm') ours += work(conv);
  }
  return total > 0 && ours > total / 2 ? 'ours' : 'stock';
}

/** Timing repeats a conv until this much time has passed (or MAX_RUNS): one fast run's time is noise. */
const MIN_TIMED_MS = 20;
const MAX_RUNS = 10;

/** One conv of `shape` with `choice` routed, bias and ReLU as in the graph, in ms per run to the readback. */
async function timeChoice({ shape, pad }: RecordedConv, key: string, choice: KernelChoice, operands: readonly tf.Tensor[]): Promise<number> {
  const [x, filter, bias] = operands as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
  const strides: [number, number] = [shape.strideHeight, shape.strideWidth];
  const conv = () => tf.fused.conv2d({ x, filter, strides, pad, bias, activation: 'relu' });
  const timed = async (runs: number): Promise<number> => {
    const start = performance.now();
    const outputs = Array.from({ length: runs }, conv);
    await outputs[runs - 1]?.data();
    tf.dispose(outputs);
    return (performance.now() - start) / runs;
  };
  routing.choices.set(key, choice);
  try {
    await timed(1); // compiles the shader
    const once = await timed(1);
    // A slow device (a CPU driver) times one run; a fast one repeats to rise above the readback's cost.
    return once >= MIN_TIMED_MS ? once : timed(Math.min(MAX_RUNS, Math.ceil(MIN_TIMED_MS / Math.max(once, 0.1))));
  } finally {
    routing.choices.delete(key);
  }
}

const work = ({ shape: s }: RecordedConv): number => s.batch * s.outHeight * s.outWidth * s.outChannels * s.filterHeight * s.filterWidth * s.inChannels;

/** The costliest convs first, so a budget that runs out leaves only cheap ones on stock. */
const byWork = (convs: ReadonlyMap<string, RecordedConv>) => [...convs].sort(([, a], [, b]) => work(b) - work(a));

/**
 * Times every candidate (stock TF.js among them, and with `f16` our half-precision ones) on each
 * shape, with random operands, and keeps the fastest, costliest shapes first. Once `budgetMs` is
 * spent it stops (the shape being timed keeps the best so far; stock is always timed first) and
 * the shapes left stay on stock.
 */
export async function autotune(convs: ReadonlyMap<string, RecordedConv>, budgetMs: number, f16 = false): Promise<TuneResult> {
  const started = performance.now();
  const choices: Record<string, KernelChoice> = {};
  const f32Choices: Record<string, KernelChoice> = {};
  const timings: Record<string, Record<string, number>> = {};
  const overBudget = () => performance.now() - started > budgetMs;
  for (const [key, conv] of byWork(convs)) {
    const { shape } = conv;
    if (overBudget()) break;
    const operands = [
      tf.randomUniform([shape.batch, shape.inHeight, shape.inWidth, shape.inChannels], -1, 1),
      tf.randomUniform([shape.filterHeight, shape.filterWidth, shape.inChannels, shape.outChannels], -0.1, 0.1),
      tf.randomUniform([shape.outChannels], -1, 1),
    ];
    try {
      const times: Record<string, number> = {};
      let best: [KernelChoice, number] | undefined;
      let bestF32: [KernelChoice, number] | undefined;
      for (const choice of candidates(shape, f16)) {
        if (best && overBudget()) break;
        const ms = await timeChoice(conv, key, choice, operands);
        times[choiceName(choice)] = ms;
        if (!best || ms < best[1]) best = [choice, ms];
        if (!isF16(choice) && (!bestF32 || ms < bestF32[1])) bestF32 = [choice, ms];
      }
      timings[key] = times;
      if (best) choices[key] = best[0];
      if (best && bestF32 && isF16(best[0])) f32Choices[key] = bestF32[0];
    } finally {
      tf.dispose(operands);
    }
  }
  return { choices, f32Choices, timings, tuningMs: performance.now() - started, complete: !overBudget() && Object.keys(timings).length === convs.size };
}

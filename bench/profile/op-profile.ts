/**
 * Where one warm inference spends its time, per TF.js kernel, from tf.profile: wall time per
 * kernel on the CPU backends, GPU time from timestamp queries on WebGPU (where the adapter has
 * 'timestamp-query'). Profiling flushes after each kernel, so the per-kernel figures show kernel
 * cost, not the per-op overhead of a normal, batched run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { gpuAdapter } from '../inference/gpu-adapter.js';
import { median } from '../stats.js';

export interface OpStat {
  /** The TF.js kernel, e.g. FusedConv2D. */
  readonly op: string;
  /** Calls per inference. */
  readonly count: number;
  /** Median over the profiled inferences of the op's summed kernel time. */
  readonly ms: number;
}

export interface SlowKernel {
  readonly op: string;
  readonly inputShapes: string;
  readonly outputShape: string;
  readonly ms: number;
}

export interface OpProfile {
  readonly backend: string;
  /** The WebGPU adapter's vendor, architecture and description, as JSON; null on other backends. */
  readonly adapter: string | null;
  readonly batch: number;
  readonly rounds: number;
  /** Kernels per inference, TF.js's op wrappers (`fusedConv2d__op`) not counted. */
  readonly kernels: number;
  readonly kernelMs: number;
  readonly ops: readonly OpStat[];
  /** The slowest single kernels of the last profiled inference. */
  readonly slowest: readonly SlowKernel[];
}

type KernelInfo = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

const shapes = (list: readonly (readonly number[] | undefined)[]) => list.map((s) => `[${s?.join(',') ?? ''}]`).join(' ');

/** A backend without a usable timer reports `{ error }` in place of a time. */
function kernelMs(name: string, time: number | { error: string }): number {
  if (typeof time === 'number') return time;
  throw new Error(`no kernel time for ${name} on ${tf.getBackend()}: ${time.error}`);
}

async function profileOnce(model: GraphModel, input: tf.Tensor, output: string): Promise<{ kernel: KernelInfo; ms: number }[]> {
  const info = await tf.profile(async () => {
    const result = model.execute(input, output) as tf.Tensor;
    await result.data();
    result.dispose();
  });
  // Op wrappers (`conv2d__op`) enclose the kernels they call; counting both would double the time.
  const kernels = info.kernels.filter((k) => !k.name.endsWith('__op'));
  return Promise.all(kernels.map(async (kernel) => ({ kernel, ms: kernelMs(kernel.name, await kernel.kernelTimeMs) })));
}

function byOp(timed: readonly { kernel: KernelInfo; ms: number }[]): Map<string, { count: number; ms: number }> {
  const ops = new Map<string, { count: number; ms: number }>();
  for (const { kernel, ms } of timed) {
    const entry = ops.get(kernel.name) ?? { count: 0, ms: 0 };
    ops.set(kernel.name, { count: entry.count + 1, ms: entry.ms + ms });
  }
  return ops;
}

/** Profiles `rounds` inferences of `model` at `batch` after one unprofiled warm-up inference. */
export async function profileModel(model: GraphModel, options: { batch: number; rounds: number; output: string }): Promise<OpProfile> {
  const input = tf.randomUniform([options.batch, 299, 299, 3], 0, 255);
  try {
    await profileOnce(model, input, options.output); // warm-up: shaders compiled, buffers allocated
    const runs: { kernel: KernelInfo; ms: number }[][] = [];
    for (let i = 0; i < options.rounds; i++) runs.push(await profileOnce(model, input, options.output));
    const perRound = runs.map(byOp);
    const last = runs.at(-1) ?? [];
    const ops = [...(perRound[0] ?? new Map()).entries()].map(([op, { count }]) => ({
      op,
      count,
      ms: median(perRound.map((round) => round.get(op)?.ms ?? 0)),
    }));
    ops.sort((a, b) => b.ms - a.ms);
    const slowest = [...last].sort((a, b) => b.ms - a.ms).slice(0, 10).map(({ kernel, ms }) => ({
      op: kernel.name,
      inputShapes: shapes(kernel.inputShapes),
      outputShape: shapes(kernel.outputShapes),
      ms,
    }));
    return {
      backend: tf.getBackend(),
      adapter: tf.getBackend() === 'webgpu' ? await gpuAdapter() : null,
      batch: options.batch,
      rounds: options.rounds,
      kernels: last.length,
      kernelMs: ops.reduce((sum, o) => sum + o.ms, 0),
      ops,
      slowest,
    };
  } finally {
    input.dispose();
  }
}

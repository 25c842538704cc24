/**
 * The benchmark page's side of the LiteRT.js op profile: our per-kernel times from tf.profile on
 * WASM, and LiteRT.js's time for each single-op model, both at 1 thread in the same browser.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '../../src/index.js';
import { median } from '../stats.js';
import { PAGE_PATHS } from '../inference/page/page-paths.js';
import { SIDE, seedImage } from '../inference/seed-batch.js';
import type { KernelRecord, SingleOpModel } from './single-op-models.js';

export interface TimedKernel extends KernelRecord {
  readonly ms: number;
}

export interface OursKernelTimes {
  readonly kernels: readonly TimedKernel[];
  /** A normal (unprofiled) warm inference, median: what the profile's per-kernel flushes add shows against the kernel sum. */
  readonly inferenceMs: number;
}

/** Our SDK on WASM, 1 thread: each kernel's median time over `rounds` profiled inferences. */
export async function oursKernelTimes(seedA: Uint8Array, rounds: number): Promise<OursKernelTimes> {
  const classifier = await loadClassifier({ modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, backend: 'wasm', wasmThreads: 1, preprocess: 'none', cache: false });
  const image = tf.tensor3d(Int32Array.from(seedImage(seedA, 0)), [SIDE, SIDE, 3], 'int32');
  try {
    const runs: TimedKernel[][] = [];
    for (let i = 0; i < rounds; i++) {
      const info = await tf.profile(async () => void (await classifier.logits(image)));
      const kernels = info.kernels.filter((k) => !k.name.endsWith('__op'));
      runs.push(
        await Promise.all(
          kernels.map(async (k) => ({
            name: k.name,
            inputShapes: k.inputShapes.map((s) => [...(s ?? [])]),
            outputShape: [...(k.outputShapes[0] ?? [])],
            ms: Number(await k.kernelTimeMs),
          })),
        ),
      );
    }
    const plain: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await classifier.logits(image);
      plain.push(performance.now() - started);
    }
    const kernels = (runs[0] ?? []).map((k, i) => ({ ...k, ms: median(runs.map((run) => run[i]?.ms ?? Number.NaN)) }));
    return { kernels, inferenceMs: median(plain) };
  } finally {
    image.dispose();
    classifier.dispose();
  }
}

type LiteRt = typeof import('@litertjs/core');

/** Median over `rounds` runs of a compiled model on fixed inputs (outputs stay in WASM memory, then freed). */
async function timeRuns(litert: LiteRt, url: string, inputs: SingleOpModel['inputs'], rounds: number): Promise<number> {
  const model = await litert.loadAndCompile(url, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
  const tensors = Object.fromEntries(inputs.map(({ name, shape }) => [name, new litert.Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5), [...shape])]));
  const once = async () => {
    const started = performance.now();
    const outputs = await model.run(tensors);
    const ms = performance.now() - started;
    for (const tensor of Object.values(outputs)) tensor.delete();
    return ms;
  };
  try {
    await once();
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) samples.push(await once());
    return median(samples);
  } finally {
    for (const tensor of Object.values(tensors)) tensor.delete();
    model.delete();
  }
}

export interface LiteRtOpTimes {
  /** Median ms per single-op model, in the order given. */
  readonly opMs: readonly number[];
  /** The whole model.tflite, same inputs shape, median: to check that the single ops add up to it. */
  readonly inferenceMs: number;
}

/** LiteRT.js on WASM, 1 thread: each single-op model, then the whole model. */
export async function liteRtOpTimes(models: readonly SingleOpModel[], opsDir: string, rounds: number): Promise<LiteRtOpTimes> {
  const litert = await import('@litertjs/core');
  await litert.loadLiteRt(PAGE_PATHS.litert);
  const opMs: number[] = [];
  for (const model of models) opMs.push(await timeRuns(litert, `${opsDir}${model.file}`, model.inputs, rounds));
  const inferenceMs = await timeRuns(litert, PAGE_PATHS.tflite, [{ name: 'pixels', shape: [1, SIDE, SIDE, 3] }], rounds);
  return { opMs, inferenceMs };
}

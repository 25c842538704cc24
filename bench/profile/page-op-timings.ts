/**
 * The benchmark page's side of the LiteRT.js op profile, one round per call so that the driver
 * can interleave the two stacks' rounds (a shared machine's slow spells then hit both): our
 * per-kernel times from tf.profile on WASM, and LiteRT.js's time for each single-op model, both
 * at 1 thread. Each page keeps what it loaded between rounds.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as LiteRtModule from '@litertjs/core';
import { loadClassifier, type Classifier } from '../../src/index.js';
import { PAGE_PATHS } from '../inference/page/page-paths.js';
import { SIDE, seedImage } from '../inference/seed-batch.js';
import type { KernelRecord, SingleOpModel } from './single-op-models.js';

export interface TimedKernel extends KernelRecord {
  readonly ms: number;
}

export interface OursRound {
  readonly kernels: readonly TimedKernel[];
  /** A normal (unprofiled) inference: what the profile's per-kernel flushes add shows against the kernel sum. */
  readonly inferenceMs: number;
}

let ours: { classifier: Classifier; image: tf.Tensor3D } | undefined;

/** One profiled and one plain inference of our SDK on WASM, 1 thread (loaded on the first call). */
export async function oursRound(seedA: Uint8Array): Promise<OursRound> {
  ours ??= {
    classifier: await loadClassifier({ modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, backend: 'wasm', wasmThreads: 1, preprocess: 'none', cache: false }),
    image: tf.tensor3d(Int32Array.from(seedImage(seedA, 0)), [SIDE, SIDE, 3], 'int32'),
  };
  const { classifier, image } = ours;
  const info = await tf.profile(async () => void (await classifier.logits(image)));
  const kernels = await Promise.all(
    info.kernels
      .filter((k) => !k.name.endsWith('__op'))
      .map(async (k) => ({
        name: k.name,
        inputShapes: k.inputShapes.map((s) => [...(s ?? [])]),
        outputShape: [...(k.outputShapes[0] ?? [])],
        ms: Number(await k.kernelTimeMs),
      })),
  );
  const started = performance.now();
  await classifier.logits(image);
  return { kernels, inferenceMs: performance.now() - started };
}

interface Compiled {
  readonly model: LiteRtModule.CompiledModel;
  readonly inputs: Record<string, LiteRtModule.Tensor>;
}

let litert: { models: Compiled[]; whole: Compiled } | undefined;

async function compile(runtime: typeof LiteRtModule, url: string, inputs: SingleOpModel['inputs']): Promise<Compiled> {
  const model = await runtime.loadAndCompile(url, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
  const tensors = Object.fromEntries(inputs.map(({ name, shape }) => [name, new runtime.Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5), [...shape])]));
  return { model, inputs: tensors };
}

/** One run on fixed inputs; the outputs stay in WASM memory and are freed. */
async function timeRun({ model, inputs }: Compiled): Promise<number> {
  const started = performance.now();
  const outputs = await model.run(inputs);
  const ms = performance.now() - started;
  for (const tensor of Object.values(outputs)) tensor.delete();
  return ms;
}

export interface LiteRtRound {
  /** ms per single-op model, in the order given. */
  readonly opMs: readonly number[];
  /** The whole model.tflite. */
  readonly inferenceMs: number;
}

/**
 * One run of each single-op model and of the whole model on LiteRT.js, WASM, 1 thread. The first
 * call loads LiteRT.js (`binary`: one of its .js loaders, e.g. the compat build without relaxed
 * SIMD; by default it picks by feature), compiles everything and runs each model once untimed.
 */
export async function liteRtRound(models: readonly SingleOpModel[], opsDir: string, binary?: string): Promise<LiteRtRound> {
  if (!litert) {
    const runtime = await import('@litertjs/core');
    await runtime.loadLiteRt(binary === undefined ? PAGE_PATHS.litert : `${PAGE_PATHS.litert}${binary}`);
    const compiled: Compiled[] = [];
    for (const m of models) compiled.push(await compile(runtime, `${opsDir}${m.file}`, m.inputs));
    const whole = await compile(runtime, PAGE_PATHS.tflite, [{ name: 'pixels', shape: [1, SIDE, SIDE, 3] }]);
    for (const c of [...compiled, whole]) await timeRun(c);
    litert = { models: compiled, whole };
  }
  const opMs: number[] = [];
  for (const c of litert.models) opMs.push(await timeRun(c));
  return { opMs, inferenceMs: await timeRun(litert.whole) };
}

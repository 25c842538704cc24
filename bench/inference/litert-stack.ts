/**
 * LiteRT.js (@litertjs/core) as a benchmarked stack, on the model.tflite our converter writes
 * from the same synthetic checkpoint: the same weights and the same function as ours.
 */
import type * as LiteRt from '@litertjs/core';
import type { ModelSource } from './ort-stack.js';
import type { LoadReport, StackApi, StackSpec } from './protocol.js';
import { SEED_A_IMAGES, seedImage, SIDE } from './seed-batch.js';

type LiteRtModule = typeof LiteRt;

/** The written file is batch 1; a batch of N is N inferences in a row. */
const FILE_BATCH = 1;

export function liteRtStack(litert: LiteRtModule, spec: StackSpec, wasmDir: string, model: ModelSource, seedA: () => Promise<Uint8Array>): StackApi {
  let compiled: LiteRt.CompiledModel | undefined;
  let pictures: LiteRt.Tensor[] = [];
  const accelerator = spec.backend === 'webgpu' ? 'webgpu' : 'wasm';
  if (spec.backend !== accelerator) throw new Error(`LiteRT.js has no '${spec.backend}' backend here; use wasm or webgpu`);
  const inputs = async (): Promise<LiteRt.Tensor[]> => {
    if (pictures.length === 0) {
      const bytes = await seedA();
      pictures = Array.from({ length: SEED_A_IMAGES }, (_, i) => new litert.Tensor(Float32Array.from(seedImage(bytes, i)), [FILE_BATCH, SIDE, SIDE, 3]));
    }
    return pictures;
  };
  /** One picture through the model, logits read back to JS (from the GPU when there). */
  const inferOne = async (picture: LiteRt.Tensor): Promise<Float32Array> => {
    if (!compiled) throw new Error('call load first');
    const outputs = await compiled.run({ pixels: picture });
    try {
      const logits = outputs.logits;
      if (!logits) throw new Error('the .tflite model has no output named logits');
      const onCpu = logits.accelerator === 'wasm' ? logits : await logits.copyTo('wasm');
      const values = onCpu.toTypedArray() as Float32Array;
      if (onCpu !== logits) onCpu.delete();
      return values.slice();
    } finally {
      for (const tensor of Object.values(outputs)) tensor.delete();
    }
  };
  return {
    info: async () => ({ stack: 'LiteRT.js', accelerator, threads: spec.threads ?? 1, fullyAccelerated: compiled?.isFullyAccelerated ?? null }),
    load: async (): Promise<LoadReport> => {
      const started = performance.now();
      await litert.loadLiteRt(wasmDir, { threads: (spec.threads ?? 1) > 1 });
      const runtime = performance.now();
      const bytes = await model.read();
      const read = performance.now();
      compiled = await litert.loadAndCompile(bytes, { accelerator, ...(spec.threads !== undefined && { cpuOptions: { numThreads: spec.threads } }) });
      const created = performance.now();
      await inferOne((await inputs())[0] as LiteRt.Tensor);
      const coldFirstMs = performance.now() - created;
      return {
        loads: [{ source: model.source, ms: created - started }],
        coldFirstMs,
        detail: { runtimeMs: runtime - started, readMs: read - runtime, compileMs: created - read },
      };
    },
    logits: async () => Array.from(await inferOne((await inputs())[0] as LiteRt.Tensor)),
    run: async (batch) => {
      const pics = await inputs();
      const started = performance.now();
      for (let i = 0; i < batch; i++) await inferOne(pics[i % pics.length] as LiteRt.Tensor);
      return performance.now() - started;
    },
    peakBackendMB: async () => null,
    memory: async () => ({}),
  };
}

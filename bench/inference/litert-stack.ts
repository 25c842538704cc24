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

/** The device LiteRT.js runs on: its adapter (SwiftShader or a GPU) and the features it asked for (shader-f16...). */
function webGpuFacts(device: GPUDevice | null): Record<string, string | null> {
  if (!device) return { webGpuAdapter: null };
  const { vendor, architecture, device: name, description } = (device as GPUDevice & { adapterInfo: GPUAdapterInfo }).adapterInfo;
  return { webGpuAdapter: JSON.stringify({ vendor, architecture, device: name, description }), webGpuFeatures: [...device.features].sort().join(',') };
}

export function liteRtStack(litert: LiteRtModule, spec: StackSpec, wasmDir: string, model: ModelSource, seedA: () => Promise<Uint8Array>): StackApi {
  let compiled: LiteRt.CompiledModel | undefined;
  let pictures: LiteRt.Tensor[] = [];
  /** Where the last inference left its logits: 'webgpu' when the model really ran there. */
  let outputOn: string | null = null;
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
      outputOn = logits.accelerator;
      const onCpu = logits.accelerator === 'wasm' ? logits : await logits.copyTo('wasm');
      const values = onCpu.toTypedArray() as Float32Array;
      if (onCpu !== logits) onCpu.delete();
      return values.slice();
    } finally {
      for (const tensor of Object.values(outputs)) tensor.delete();
    }
  };
  return {
    info: async () => ({
      stack: 'LiteRT.js',
      // What the model was compiled for: loadAndCompile quietly recompiles for wasm when WebGPU cannot take all of it (without JSPI).
      accelerator: compiled?.options.accelerator ?? accelerator,
      outputOn,
      threads: spec.threads ?? 1,
      fullyAccelerated: compiled?.isFullyAccelerated ?? null,
      ...(accelerator === 'webgpu' && webGpuFacts(litert.getWebGpuDevice())),
    }),
    load: async (): Promise<LoadReport> => {
      const started = performance.now();
      await litert.loadLiteRt(wasmDir, { threads: (spec.threads ?? 1) > 1 });
      const runtime = performance.now();
      const bytes = await model.read();
      const read = performance.now();
      compiled = await litert.loadAndCompile(bytes, { accelerator, ...(spec.threads !== undefined && { cpuOptions: { numThreads: spec.threads } }) });
      const created = performance.now();
      if (compiled.options.accelerator !== accelerator) throw new Error(`LiteRT.js compiled the model for ${compiled.options.accelerator}, not ${accelerator}: it would not time ${accelerator}`);
      await inferOne((await inputs())[0] as LiteRt.Tensor);
      if (outputOn !== accelerator) throw new Error(`LiteRT.js left its logits on ${String(outputOn)}, not ${accelerator}`);
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

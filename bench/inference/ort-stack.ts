/** ONNX Runtime Web as a benchmarked stack, on the ONNX export of the same synthetic network. */
import type * as Ort from 'onnxruntime-web';
import type { LoadReport, StackApi, StackSpec } from './protocol.js';
import { seedBatch, SIDE } from './seed-batch.js';

export type OrtModule = typeof Ort;

/** Where the .onnx bytes come from: fetch in browsers, readFile in Node. */
export interface ModelSource {
  readonly source: 'network' | 'disk';
  read(): Promise<Uint8Array>;
}

export function ortStack(ort: OrtModule, spec: StackSpec, model: ModelSource, seedA: () => Promise<Uint8Array>): StackApi {
  let session: Ort.InferenceSession | undefined;
  const inputs = new Map<number, Ort.Tensor>();
  const input = async (batch: number): Promise<Ort.Tensor> => {
    let tensor = inputs.get(batch);
    if (!tensor) {
      tensor = new ort.Tensor('float32', seedBatch(await seedA(), batch), [batch, SIDE, SIDE, 3]);
      inputs.set(batch, tensor);
    }
    return tensor;
  };
  /** One inference; the outputs land on the CPU (ORT's default), so the readback is included. */
  const infer = async (batch: number): Promise<Float32Array> => {
    if (!session) throw new Error('call load first');
    const { logits } = await session.run({ pixels: await input(batch) });
    if (!logits) throw new Error('the ONNX model has no output named logits');
    return (await logits.getData()) as Float32Array;
  };
  return {
    info: async () => ({
      stack: 'ONNX Runtime Web',
      ort: ort.env.versions.web ?? ort.env.versions.common,
      backend: spec.backend,
      threads: ort.env.wasm.numThreads ?? null,
    }),
    load: async (): Promise<LoadReport> => {
      if (spec.threads !== undefined) ort.env.wasm.numThreads = spec.threads;
      const started = performance.now();
      const bytes = await model.read();
      const read = performance.now();
      session = await ort.InferenceSession.create(bytes, { executionProviders: [spec.backend], graphOptimizationLevel: 'all' });
      const created = performance.now();
      await infer(1);
      const coldFirstMs = performance.now() - created;
      return { loads: [{ source: model.source, ms: created - started }], coldFirstMs, detail: { readMs: read - started, sessionMs: created - read } };
    },
    logits: async () => Array.from(await infer(1)),
    run: async (batch) => {
      await input(batch);
      const started = performance.now();
      await infer(batch);
      return performance.now() - started;
    },
    peakBackendMB: async () => null,
    memory: async () => ({}),
  };
}

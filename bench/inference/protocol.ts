/**
 * What every benchmarked stack answers, wherever it runs (a Chromium page, a Node child process,
 * a Python child process), so one driver can interleave them. Python speaks the same messages as
 * JSON lines (pytorch_worker.py).
 */
import type { WebGpuKernels } from '../../src/options.js';

/** One model load, split into what a user waits for before and during the first inference. */
export interface LoadReport {
  /** Where the weights came from: 'network' and 'cache' in browsers, 'disk' in Node. */
  readonly loads: readonly { readonly source: 'network' | 'cache' | 'disk'; readonly ms: number }[];
  /** The first inference at batch 1 after loading: shader compilation, buffer allocation, first run. */
  readonly coldFirstMs: number;
  /** Stack-specific breakdown (fetch, upload, session creation...). */
  readonly detail: Readonly<Record<string, number | boolean | string>>;
}

export interface MemoryReport {
  /** Largest JS heap seen after any call: performance.memory in Chromium, heapUsed in Node. */
  readonly jsHeapPeakMB?: number;
  /** Peak resident set size of the process (Node and Python only). */
  readonly rssPeakMB?: number;
  /** TF.js backend bytes held now (weights), from tf.memory(). */
  readonly backendMB?: number;
}

export type StackInfo = Readonly<Record<string, string | number | boolean | null>>;

/** The requests a stack serves, with what each answers. */
export interface StackApi {
  info(): Promise<StackInfo>;
  load(): Promise<LoadReport>;
  /** Logits [1000] of seedA image 0, for the parity check against PyTorch's reference. */
  logits(): Promise<number[]>;
  /** One warm inference on `batch` seedA images, readback included; returns milliseconds. */
  run(batch: number): Promise<number>;
  /** Peak backend bytes during one inference at `batch` (TF.js only; null where unknown). */
  peakBackendMB(batch: number): Promise<number | null>;
  memory(): Promise<MemoryReport>;
}

export type StackOp = keyof StackApi;

export interface StackRequest {
  readonly op: StackOp;
  readonly batch?: number;
}

export type StackReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Which stack to build, and how. */
export interface StackSpec {
  readonly stack: 'ours' | 'ort' | 'litert';
  /** TF.js backend for 'ours'; execution provider for 'ort'; accelerator for 'litert' (wasm or webgpu). */
  readonly backend: 'wasm' | 'webgl' | 'webgpu' | 'cpu';
  /** WASM threads; undefined leaves the library's default. */
  readonly threads?: number;
  /**
   * TF.js flags set once the model is loaded (the backend registers its flags when it starts),
   * for kernel-selection experiments; the load's warm-up still compiled the default kernels.
   */
  readonly tfjsFlags?: Readonly<Record<string, number | boolean>>;
  /** Our conv kernels on WebGPU for 'ours'; undefined leaves the library's default ('tuned'). */
  readonly webgpuKernels?: WebGpuKernels;
  /** 'ours' with f16 conv kernels among the tuned candidates (webgpuShaderF16). */
  readonly webgpuShaderF16?: boolean;
}

/** Serves one request against a stack: the same dispatch in pages and in Node workers. */
export async function serve(api: StackApi, request: StackRequest): Promise<StackReply> {
  try {
    const batch = request.batch ?? 1;
    const value = await (request.op === 'run' || request.op === 'peakBackendMB' ? api[request.op](batch) : api[request.op]());
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
}

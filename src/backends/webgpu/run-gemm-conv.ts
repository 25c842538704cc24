import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ConvShape } from './conv-shape.js';
import type { Activation, Epilogue } from './epilogue.js';
import { ImplicitGemmProgram, wholeSpans, type ConvSpans } from './implicit-gemm-program.js';
import type { GemmConfig } from './kernel-config.js';
import { SplitKReduceProgram } from './split-k-reduce-program.js';

export interface ConvOperands {
  readonly x: TensorInfo;
  readonly filter: TensorInfo;
  readonly bias?: TensorInfo | null;
  /** PReLU's per-channel alpha (activation 'prelu'). */
  readonly alpha?: TensorInfo | null;
}

/** Where the conv writes: a new tensor, or `into` (a wider one, at spans.output). */
export interface ConvTarget {
  readonly spans: ConvSpans;
  readonly into?: TensorInfo;
}

/** Runs our conv in one dispatch, or two with split-K (partial sums, then their reduction). */
export function runGemmConv(backend: WebGPUBackend, shape: ConvShape, config: GemmConfig, operands: ConvOperands, activation: Activation, target: ConvTarget = { spans: wholeSpans(shape) }): TensorInfo {
  const epilogue: Epilogue = { bias: Boolean(operands.bias), activation };
  const extras = [operands.bias, activation === 'prelu' ? operands.alpha : null].filter((t): t is TensorInfo => Boolean(t));
  const inputs = [operands.x, operands.filter];
  if (config.splitK === 1) {
    return backend.runWebGPUProgram(new ImplicitGemmProgram(shape, config, epilogue, target.spans), [...inputs, ...extras], 'float32', undefined, target.into);
  }
  const partial = backend.runWebGPUProgram(new ImplicitGemmProgram(shape, config, epilogue, { ...target.spans, output: { total: shape.outChannels, begin: 0 } }), inputs, 'float32');
  try {
    const reduce = new SplitKReduceProgram(shape, config.splitK, epilogue, target.spans.output);
    return backend.runWebGPUProgram(reduce, [partial, ...extras], 'float32', undefined, target.into);
  } finally {
    backend.disposeData(partial.dataId);
  }
}

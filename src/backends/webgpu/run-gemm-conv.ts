import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ConvShape } from './conv-shape.js';
import { ImplicitGemmProgram, type Epilogue } from './implicit-gemm-program.js';
import type { GemmConfig } from './kernel-config.js';
import { SplitKReduceProgram } from './split-k-reduce-program.js';

export interface ConvOperands {
  readonly x: TensorInfo;
  readonly filter: TensorInfo;
  readonly bias?: TensorInfo | null;
}

/** Runs our conv in one dispatch, or two with split-K (partial sums, then their reduction). */
export function runGemmConv(backend: WebGPUBackend, shape: ConvShape, config: GemmConfig, operands: ConvOperands, relu: boolean): TensorInfo {
  const bias = operands.bias ?? undefined;
  const epilogue: Epilogue = { bias: bias !== undefined, relu };
  const inputs = [operands.x, operands.filter];
  if (config.splitK === 1) {
    return backend.runWebGPUProgram(new ImplicitGemmProgram(shape, config, epilogue), bias ? [...inputs, bias] : inputs, 'float32');
  }
  const partial = backend.runWebGPUProgram(new ImplicitGemmProgram(shape, config, epilogue), inputs, 'float32');
  try {
    const reduce = new SplitKReduceProgram(shape, config.splitK, epilogue);
    return backend.runWebGPUProgram(reduce, bias ? [partial, bias] : [partial], 'float32');
  } finally {
    backend.disposeData(partial.dataId);
  }
}

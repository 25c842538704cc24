import * as tf from '@tensorflow/tfjs-core';
import { installChannelPartsKernel } from '../../src/backends/webgpu/channel-parts-kernel.js';
import { installConvKernels, routing } from '../../src/backends/webgpu/conv-kernels.js';
import { installMeanKernel } from '../../src/backends/webgpu/mean-kernel.js';

interface ProgramRunner {
  runWebGPUProgram(...args: unknown[]): unknown;
}

/**
 * Runs `work` on the active WebGPU backend and counts the programs it dispatches, at the
 * backend's `runWebGPUProgram` (every compute dispatch goes through it).
 */
export async function countPrograms<T>(work: () => Promise<T>): Promise<{ result: T; programs: number }> {
  const backend = tf.backend() as unknown as ProgramRunner;
  const run = backend.runWebGPUProgram.bind(backend);
  let programs = 0;
  backend.runWebGPUProgram = (...args: unknown[]) => {
    programs++;
    return run(...args);
  };
  try {
    return { result: await work(), programs };
  } finally {
    backend.runWebGPUProgram = run;
  }
}

/**
 * Our WebGPU kernels in front of TF.js's, every conv on its default configuration (no tuning,
 * no split-K): what the SDK runs with `webgpuKernels: 'ours'`, for models loaded with
 * loadForOurKernels.
 */
export function useOurKernels(): void {
  installConvKernels();
  installChannelPartsKernel();
  installMeanKernel();
  routing.unplanned = 'f32';
  routing.choices.clear();
}

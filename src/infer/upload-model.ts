import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { canLoseDevice } from '../backends/device-loss.js';
import type { BackendName, WebGpuKernels } from '../options.js';

/**
 * Loads the graph onto the active backend. Only a GPU backend can lose its device and need the
 * weights again: on WASM and CPU the weight bytes (95 MB for float32) would only sit in memory, in
 * `artifacts` and in the GraphModel, which keeps the same object, so they are let go — unless
 * `keepWeights`, while 'auto' still tries the model on other backends.
 *
 * On WebGPU with our kernels, the graph is first rewritten: sibling 1×1 convs fused, branches
 * writing into their channels of a concat, convs reading channel ranges
 * (backends/webgpu/channel-parts-graph.ts).
 */
export async function uploadModel(artifacts: tf.io.ModelArtifacts, backend: BackendName, kernels: WebGpuKernels, keepWeights = false): Promise<GraphModel> {
  const ours = backend === 'webgpu' && kernels !== 'stock';
  const model = ours ? await (await import('../backends/webgpu/channel-parts-graph.js')).loadForOurKernels(artifacts) : await loadGraphModel(tf.io.fromMemory(artifacts));
  if (!keepWeights) releaseWeightsIfSafe(artifacts, backend);
  return model;
}

/** Drops the kept weight bytes once no GPU device loss can need them again. */
export function releaseWeightsIfSafe(artifacts: tf.io.ModelArtifacts, backend: BackendName): void {
  if (!canLoseDevice(backend)) artifacts.weightData = undefined;
}

import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { PROBE_SIZE, probePixels } from '../../shared/probe-image.js';
import type { BackendName } from '../options.js';
import { runGraph } from './forward-pass.js';

/** The GPU backends' "compile only" switches: shaders are built without running them. */
const COMPILE_ONLY_FLAG: Partial<Record<BackendName, string>> = {
  webgpu: 'WEBGPU_ENGINE_COMPILE_ONLY',
  webgl: 'ENGINE_COMPILE_ONLY',
};

interface CompilingBackend {
  checkCompileCompletionAsync?(): Promise<void>;
  getUniformLocations?(): void;
}

/** What one pass of the probe image gave, and how long the pass took. */
export interface ProbeOutputs {
  readonly logits?: Float32Array;
  readonly embedding: Float32Array;
  readonly ms: number;
}

/**
 * Runs the self-check's probe image through the model once. The first run on a backend is also
 * the warm-up: with `compile`, every shader of the graph is compiled in parallel first (TF.js's
 * compile-only pass, then one wait for all pipelines), so the first user call pays no start-up
 * cost; `ms` then counts the compilation too.
 */
export async function runProbe(model: GraphModel, backend: BackendName, metadata: InceptionModelMetadata, compile: boolean): Promise<ProbeOutputs> {
  const { logits, embedding } = metadata.outputs;
  const outputs = logits === undefined ? [embedding] : [embedding, logits];
  const input = tf.tensor4d(probePixels(), [1, PROBE_SIZE, PROBE_SIZE, 3]);
  try {
    const started = performance.now();
    const flag = COMPILE_ONLY_FLAG[backend];
    if (compile && flag) await compileInParallel(model, input, outputs, flag);
    const [embeddingRows, logitRows] = await runGraph(model, input, outputs);
    const ms = performance.now() - started;
    return { embedding: embeddingRows?.[0] as Float32Array, ...(logitRows && { logits: logitRows[0] }), ms };
  } finally {
    input.dispose();
  }
}

async function compileInParallel(model: GraphModel, input: tf.Tensor, outputs: string[], flag: string): Promise<void> {
  tf.env().set(flag, true);
  try {
    tf.dispose(model.execute(input, outputs));
  } finally {
    tf.env().set(flag, false);
  }
  const backend = tf.backend() as CompilingBackend;
  await backend.checkCompileCompletionAsync?.();
  backend.getUniformLocations?.();
}

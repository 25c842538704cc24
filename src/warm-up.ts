import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { InceptionModelMetadata } from '../shared/model-metadata.js';
import type { BackendName } from './options.js';

/** The GPU backends' "compile only" switches: shaders are built without running them. */
const COMPILE_ONLY_FLAG: Partial<Record<BackendName, string>> = {
  webgpu: 'WEBGPU_ENGINE_COMPILE_ONLY',
  webgl: 'ENGINE_COMPILE_ONLY',
};

interface CompilingBackend {
  checkCompileCompletionAsync?(): Promise<void>;
  getUniformLocations?(): void;
}

/**
 * Compiles every shader of the graph in parallel (TF.js's compile-only pass, then one wait for
 * all pipelines), then runs one real inference so the first user call pays no start-up cost.
 */
export async function warmUp(model: GraphModel, backend: BackendName, metadata: InceptionModelMetadata): Promise<void> {
  const { height, width } = metadata.input;
  const { logits, embedding } = metadata.outputs;
  const outputs = logits === undefined ? [embedding] : [logits, embedding];
  const input = tf.zeros([1, height, width, 3]);
  try {
    const flag = COMPILE_ONLY_FLAG[backend];
    if (flag) await compileInParallel(model, input, outputs, flag);
    const result = model.execute(input, outputs) as tf.Tensor[];
    await Promise.all(result.map((t) => t.data()));
    tf.dispose(result);
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

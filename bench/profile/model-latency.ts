import type * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';

/** One inference of `model` to its logits, readback included, in ms. */
export async function latencyMs(model: GraphModel, input: tf.Tensor): Promise<number> {
  const start = performance.now();
  const output = model.execute(input, 'logits') as tf.Tensor;
  await output.data();
  output.dispose();
  return performance.now() - start;
}

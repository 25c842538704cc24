import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { toPixelTensor, type ImageInput } from '../input/image-input.js';
import type { ResolvedLoadOptions } from '../options.js';
import { fitToInput } from '../preprocess/fit-to-input.js';

/** What a forward pass needs besides the images: the graph, and how images are fitted to it. */
export interface ForwardContext {
  readonly model: GraphModel;
  readonly metadata: InceptionModelMetadata;
  readonly options: Pick<ResolvedLoadOptions, 'maxPixels' | 'preprocess'>;
}

/** Splits a batched output [N, ...] into one copy per image. */
function splitBatch(data: Float32Array, count: number): Float32Array[] {
  const size = data.length / count;
  return Array.from({ length: count }, (_, i) => data.slice(i * size, (i + 1) * size));
}

/** Runs the graph on a batch of [N, 299, 299, 3] pixels; per requested output, one array per image. */
export async function runGraph(model: GraphModel, batch: tf.Tensor4D, outputs: readonly string[]): Promise<Float32Array[][]> {
  const results = tf.tidy(() => {
    const out = model.execute(batch, [...outputs]);
    // GraphModel.execute unwraps a single requested output.
    return Array.isArray(out) ? out : [out];
  });
  try {
    const data = await Promise.all(results.map((t) => t.data() as Promise<Float32Array>));
    return data.map((d) => splitBatch(d, batch.shape[0]));
  } finally {
    tf.dispose(results);
  }
}

/**
 * Decodes and fits every image, then runs one batched pass. `checkAbort` runs between decoding
 * the images and running the graph.
 */
export async function forwardImages(context: ForwardContext, images: readonly ImageInput[], outputs: readonly string[], checkAbort: () => void): Promise<Float32Array[][]> {
  const pixels: tf.Tensor3D[] = [];
  try {
    for (const image of images) pixels.push(await toPixelTensor(image, context.options.maxPixels));
    checkAbort();
    const batch = tf.tidy(() => tf.stack(pixels.map((p) => fitToInput(p, context.metadata, context.options.preprocess))) as tf.Tensor4D);
    try {
      return await runGraph(context.model, batch, outputs);
    } finally {
      batch.dispose();
    }
  } finally {
    tf.dispose(pixels);
  }
}

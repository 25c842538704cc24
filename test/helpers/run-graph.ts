/** Runs a small in-memory `InceptionGraph` with stock TF.js, as the converter would write it. */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import type { InceptionGraph } from '../../converter/graph/build-graph.js';
import { useBackend } from '../../tools/models/tf-node.js';

/** `graph`'s `output` for the input `x`, on the cpu backend. */
export async function runGraph(graph: InceptionGraph, input: string, x: tf.Tensor, output: string): Promise<Float32Array> {
  await useBackend('cpu');
  const values = graph.weights.map((w) => w.values());
  const bytes = new Uint8Array(values.reduce((sum, v) => sum + v.byteLength, 0));
  let offset = 0;
  for (const v of values) {
    bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
    offset += v.byteLength;
  }
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: { node: graph.nodes, library: {}, versions: { producer: 1 } },
      weightSpecs: graph.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })),
      weightData: bytes.buffer,
    }),
  );
  const result = model.execute({ [input]: x }, output) as tf.Tensor;
  const data = (await result.data()) as Float32Array;
  result.dispose();
  model.dispose();
  return data;
}

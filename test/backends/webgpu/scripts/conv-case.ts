/** What the conv parity scripts (conv-parity.ts, f16-parity.ts) share: a case, its shape key, and the comparison. */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { convShape, shapeKey, type ConvShape } from '../../../../src/backends/webgpu/conv-shape.js';

export interface ConvCase {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number;
  readonly pad: 'same' | 'valid';
}

/** The shape our kernel sees for a case, and its routing key; throws when our kernel takes no such conv. */
export function caseShape(c: ConvCase): { shape: ConvShape; key: string } {
  const shape = convShape(backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad));
  if (!shape) throw new Error(`${c.name}: our kernel does not take this shape`);
  return { shape, key: shapeKey(shape) };
}

/**
 * Runs `conv` (which returns a new tensor) and compares it with `want`: the largest |got − want|,
 * the largest |want| (tolerances are relative to it), the output's shape, and the tensors leaked.
 */
export async function compareConv(conv: () => tf.Tensor, want: tf.Tensor): Promise<{ maxAbsDiff: number; maxAbs: number; shape: number[]; leaked: number }> {
  const tensors = tf.memory().numTensors;
  const got = conv();
  const measures = tf.tidy(() => [tf.max(tf.abs(tf.sub(got, want))), tf.max(tf.abs(want))]);
  const [maxAbsDiff, maxAbs] = await Promise.all(measures.map(async (t) => (await t.data())[0] ?? Number.NaN));
  const shape = got.shape;
  tf.dispose([got, ...measures]);
  return { maxAbsDiff: maxAbsDiff as number, maxAbs: maxAbs as number, shape, leaked: tf.memory().numTensors - tensors };
}

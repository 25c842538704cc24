import * as tf from '@tensorflow/tfjs-core';
import { registerOp, type GraphNode } from '@tensorflow/tfjs-converter';
import { CHANNEL_PARTS_OP, parseParts, partOperands, type ChannelPart } from './channel-parts.js';

/** The channels a part reads, as a tensor of their own (the plain graph's Slice). */
function partInput(x: tf.Tensor4D, part: ChannelPart): tf.Tensor4D {
  const count = part.count < 0 ? x.shape[3] - part.begin : part.count;
  return part.begin === 0 && count === x.shape[3] ? x : tf.slice(x, [0, 0, 0, part.begin], [-1, -1, -1, count]);
}

/** A conv part with TF.js's own ops, in the plain graph's order: the input's normalisation or max pool, then the conv. */
function convWithOps(part: ChannelPart, input: tf.Tensor4D, filter: tf.Tensor4D, bias?: tf.Tensor1D, preluActivationWeights?: tf.Tensor1D): tf.Tensor4D {
  const strides = part.strides as [number, number];
  let x: tf.Tensor4D = part.affine ? tf.add(tf.mul(input, part.affine.scale), part.affine.shift) : input;
  if (part.pool) x = tf.maxPool(x, part.pool.window as [number, number], part.pool.strides as [number, number], part.pool.padding);
  return tf.fused.conv2d({ x, filter, strides, pad: part.padding, bias, activation: part.activation, preluActivationWeights });
}

/** One part with TF.js's own ops: what the plain graph computes. */
function partWithOps(part: ChannelPart, operands: readonly tf.Tensor[]): tf.Tensor4D {
  const [x, filter, ...rest] = operands as [tf.Tensor4D, tf.Tensor4D, ...tf.Tensor1D[]];
  const input = partInput(x, part);
  const bias = part.bias ? rest[0] : undefined;
  const preluActivationWeights = part.activation === 'prelu' ? rest[part.bias ? 1 : 0] : undefined;
  switch (part.kind) {
    case 'conv':
      return convWithOps(part, input, filter, bias, preluActivationWeights);
    case 'depthwise':
      return tf.fused.depthwiseConv2d({ x: input, filter, strides: part.strides as [number, number], pad: part.padding, bias, activation: part.activation, preluActivationWeights });
    case 'max':
      return tf.maxPool(input, part.window as [number, number], part.strides as [number, number], part.padding);
    case 'copy':
      return input === x ? tf.clone(x) : input;
  }
}

/** The node's output from TF.js's ops: each part, then their concat along channels. */
export function channelPartsWithOps(parts: readonly ChannelPart[], inputs: readonly tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const outputs = partOperands(parts, inputs).map((operands, i) => partWithOps(parts[i] as ChannelPart, operands));
    return outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs, 3);
  });
}

/**
 * Runs a node: through the backend's kernel where one is registered (our WebGPU one, which writes
 * every part into its channels of one output), else with TF.js's ops.
 */
function execute(node: GraphNode): tf.Tensor {
  const parts = parseParts(node.attrs.parts);
  if (!tf.getKernel(CHANNEL_PARTS_OP, tf.getBackend())) return channelPartsWithOps(parts, node.inputs);
  const inputs = Object.fromEntries(node.inputs.map((tensor, i) => [`${i}`, tensor]));
  return tf.engine().runKernel(CHANNEL_PARTS_OP, inputs, { parts: node.attrs.parts as string }) as tf.Tensor;
}

let registered = false;

/** Teaches TF.js's graph executor the op (once per page). */
export function registerChannelPartsOp(): void {
  if (registered) return;
  registerOp(CHANNEL_PARTS_OP, execute);
  registered = true;
}

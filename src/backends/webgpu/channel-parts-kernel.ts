import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ChannelSpan } from './channel-span.js';
import { CHANNEL_PARTS_OP, parseParts, partOperands, type ChannelPart } from './channel-parts.js';
import { defaultConfig } from './candidates.js';
import { chooseKernel } from './conv-kernels.js';
import { convShape } from './conv-shape.js';
import { runGemmConv } from './run-gemm-conv.js';
import type { Prologue } from './prologue.js';
import { WindowProgram, type ChannelCopy, type WindowOp, type WindowShape } from './window-program.js';

type Shape4 = [number, number, number, number];

/** A part ready to run: its output's size, and how to write it into a channel span of `into`. */
interface PlannedPart {
  readonly outShape: Shape4;
  /** Window ops that keep the pixel grid: the tensor they read, so a copy of it may ride along. */
  readonly hosts?: TensorInfo;
  /** Copies: what they copy, so that a window op reading the same tensor may do it. */
  readonly copies?: { readonly x: TensorInfo; readonly input: ChannelSpan; readonly channels: number };
  run(backend: WebGPUBackend, into: TensorInfo, span: ChannelSpan, copy?: ChannelCopy): void;
}

const windowShape = (info: backend_util.Conv2DInfo): WindowShape => ({
  batch: info.batchSize,
  inHeight: info.inHeight,
  inWidth: info.inWidth,
  channels: info.outChannels,
  outHeight: info.outHeight,
  outWidth: info.outWidth,
  windowHeight: info.filterHeight,
  windowWidth: info.filterWidth,
  strideHeight: info.strideHeight,
  strideWidth: info.strideWidth,
  padTop: info.padInfo.top,
  padLeft: info.padInfo.left,
});

const outShapeOf = (info: backend_util.Conv2DInfo): Shape4 => [info.batchSize, info.outHeight, info.outWidth, info.outChannels];

/** A window op from one channel span to another (and any copy riding along), as one dispatch. */
function windowPart(info: backend_util.Conv2DInfo, op: WindowOp, input: ChannelSpan, operands: readonly TensorInfo[]): PlannedPart {
  const shape = windowShape(info);
  const keepsGrid = info.inHeight === info.outHeight && info.inWidth === info.outWidth;
  return {
    outShape: outShapeOf(info),
    hosts: keepsGrid ? operands[0] : undefined,
    run: (backend, into, span, copy) => void backend.runWebGPUProgram(new WindowProgram(shape, op, input, span, copy), [...operands], 'float32', undefined, into),
  };
}

/** A channel range as it is: a 1×1 max window on its own, or riding along a window op. */
function copyPart(x: TensorInfo, xShape: Shape4, input: ChannelSpan): PlannedPart {
  const alone = windowPart(backend_util.computePool2DInfo(xShape, [1, 1], [1, 1], 1, 'valid'), { kind: 'max' }, input, [x]);
  return { outShape: alone.outShape, copies: { x, input, channels: xShape[3] }, run: alone.run };
}

/**
 * Which window op carries which copy (host index → copy index): a copy whose tensor a window op
 * keeping the pixel grid also reads (a fused head's branch1x1 range and its pool member's
 * average) runs in that op's dispatch.
 */
function pairCopies(planned: readonly PlannedPart[]): Map<number, number> {
  const pairs = new Map<number, number>();
  planned.forEach((part, copyIndex) => {
    if (!part.copies) return;
    const host = planned.findIndex((other, i) => !other.copies && other.hosts?.dataId === part.copies?.x.dataId && !pairs.has(i));
    if (host >= 0) pairs.set(host, copyIndex);
  });
  return pairs;
}

/** The pool a conv reads its input through, and the pooled size its GEMM sees. */
function pooledInput(part: ChannelPart, xShape: Shape4): { prologue?: Prologue; convInput: Shape4 } {
  if (part.affine) return { prologue: { kind: 'affine', ...part.affine }, convInput: xShape };
  if (!part.pool) return { convInput: xShape };
  const { kind, window, strides, padding } = part.pool;
  const info = backend_util.computePool2DInfo(xShape, window as [number, number], strides as [number, number], 1, padding);
  const prologue: Prologue = { kind, window, strides, pads: [info.padInfo.top, info.padInfo.left], inHeight: xShape[1], inWidth: xShape[2] };
  return { prologue, convInput: [xShape[0], info.outHeight, info.outWidth, xShape[3]] };
}

/**
 * A conv part runs our kernel, reading the range (through its prologue) and writing the span
 * directly: with the plan's configuration for the shape, or the default one where the plan kept
 * TF.js's kernel (which can neither read a range nor write a span; the copies around it would
 * cost more than it saves).
 */
function convPart(part: ChannelPart, xShape: Shape4, input: ChannelSpan, operands: readonly TensorInfo[]): PlannedPart {
  const [x, filter, ...rest] = operands as [TensorInfo, TensorInfo, ...TensorInfo[]];
  const bias = part.bias ? rest[0] : undefined;
  const alpha = part.activation === 'prelu' ? rest[part.bias ? 1 : 0] : undefined;
  const { prologue, convInput } = pooledInput(part, xShape);
  const info = backend_util.computeConv2DInfo(convInput, filter.shape as Shape4, part.strides as [number, number], 1, part.padding);
  const shape = convShape(info);
  if (!shape) throw new Error(`${CHANNEL_PARTS_OP}: a conv our kernel cannot run (dilated or not NHWC)`);
  const choice = chooseKernel(shape, part.padding);
  const config = choice.kind === 'gemm' ? choice : defaultConfig(shape);
  return {
    outShape: outShapeOf(info),
    run: (backend, into, span) =>
      void runGemmConv(backend, shape, config, { x, filter, bias, alpha }, part.activation, { spans: { input, output: span, prologue }, into }),
  };
}

function planPart(part: ChannelPart, operands: readonly TensorInfo[]): PlannedPart {
  const x = operands[0] as TensorInfo;
  const [n, h, w, channels] = x.shape as Shape4;
  const count = part.count < 0 ? channels - part.begin : part.count;
  const input: ChannelSpan = { total: channels, begin: part.begin };
  const xShape: Shape4 = [n, h, w, count];
  const strides = part.strides as [number, number];
  switch (part.kind) {
    case 'conv':
      return convPart(part, xShape, input, operands);
    case 'depthwise': {
      const info = backend_util.computeConv2DInfo(xShape, operands[1]?.shape as Shape4, strides, 1, part.padding, undefined, true);
      return windowPart(info, { kind: 'depthwise', epilogue: { bias: part.bias, activation: part.activation } }, input, operands);
    }
    case 'max':
      return windowPart(backend_util.computePool2DInfo(xShape, part.window as [number, number], strides, 1, part.padding), { kind: 'max' }, input, [x]);
    case 'copy':
      return copyPart(x, xShape, input);
  }
}

/** Runs each part into its span of `output`, a copy in its host's dispatch where one reads its tensor. */
function runParts(backend: WebGPUBackend, planned: readonly PlannedPart[], output: TensorInfo, total: number): void {
  const begins = planned.map((_, i) => planned.slice(0, i).reduce((sum, { outShape }) => sum + outShape[3], 0));
  const pairs = pairCopies(planned);
  const riding = new Set(pairs.values());
  planned.forEach((part, i) => {
    if (riding.has(i)) return;
    const copyIndex = pairs.get(i);
    const copied = copyIndex === undefined ? undefined : planned[copyIndex]?.copies;
    const copy = copied && { channels: copied.channels, input: copied.input, output: { total, begin: begins[copyIndex as number] as number } };
    part.run(backend, output, { total, begin: begins[i] as number }, copy);
  });
}

/** Every part writes its channels of one output: no Slice before a part, no ConcatV2 after. */
const channelParts: KernelFunc = ({ inputs, backend, attrs }) => {
  const parts = parseParts(attrs?.parts);
  const tensors = Object.keys(inputs)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => inputs[key] as TensorInfo);
  const planned = partOperands(parts, tensors).map((operands, i) => planPart(parts[i] as ChannelPart, operands));
  const [n, h, w] = (planned[0] as PlannedPart).outShape;
  if (planned.some(({ outShape }) => outShape[0] !== n || outShape[1] !== h || outShape[2] !== w)) {
    throw new Error(`${CHANNEL_PARTS_OP}: its parts' outputs differ in size (${planned.map((p) => p.outShape.join('x')).join(', ')})`);
  }
  const total = planned.reduce((sum, { outShape }) => sum + outShape[3], 0);
  const webgpu = backend as WebGPUBackend;
  const output = webgpu.makeTensorInfo([n, h, w, total], 'float32');
  try {
    runParts(webgpu, planned, output, total);
  } catch (error) {
    webgpu.disposeData(output.dataId);
    throw error;
  }
  return output;
};

/** Registers the WebGPU kernel of the channel-parts op (once per page). */
export function installChannelPartsKernel(): void {
  if (tf.getKernel(CHANNEL_PARTS_OP, 'webgpu')) return;
  tf.registerKernel({ kernelName: CHANNEL_PARTS_OP, backendName: 'webgpu', kernelFunc: channelParts });
}

import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { convShape, shapeKey, type ConvShape } from './conv-shape.js';
import { defaultConfig } from './candidates.js';
import type { Activation } from './epilogue.js';
import { STOCK, type KernelChoice } from './kernel-config.js';
import { runGemmConv } from './run-gemm-conv.js';

/**
 * Which kernel runs each conv shape. One per page: TF.js's kernel registry is global, so every
 * model on the WebGPU backend shares it (plans are keyed by shape, so they merge).
 */
interface Routing {
  readonly choices: Map<string, KernelChoice>;
  /** For a shape the plan does not name: TF.js's kernel, or ours with its default configuration in f32 or f16. */
  unplanned: 'stock' | 'f32' | 'f16';
  /** Set while shapes are being recorded (the warm-up inference). */
  seen?: Map<string, RecordedConv>;
}

export const routing: Routing = { choices: new Map(), unplanned: 'stock' };

/** The kernels we take over: the graph's fused convs, and the plain 1×1 convs of the pool branches. */
const KERNELS = ['FusedConv2D', 'Conv2D'] as const;
const stockKernels = new Map<string, KernelFunc>();

/** A conv the model runs: its shape, and its padding as the graph gives it (stock picks kernels by it). */
export interface RecordedConv {
  readonly shape: ConvShape;
  readonly pad: ConvAttrs['pad'];
}

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/** Activations our epilogue runs; PReLU only with one alpha per output channel. */
function ourActivation(attrs: ConvAttrs, alpha: TensorInfo | null | undefined, outChannels: number): Activation | undefined {
  const activation = attrs.activation ?? 'linear';
  if (activation === 'linear' || activation === 'relu') return alpha ? undefined : activation;
  const perChannel = alpha?.shape.length === 1 && alpha.shape[0] === outChannels;
  return activation === 'prelu' && perChannel ? 'prelu' : undefined;
}

/** The shape of a call our kernel can run (NHWC, no dilation, bias [channels], an activation of ours), else undefined. */
function ourShape(inputs: Record<string, TensorInfo | null | undefined>, attrs: ConvAttrs): ConvShape | undefined {
  const { x, filter, bias, preluActivationWeights } = inputs;
  if (!x || !filter || x.dtype !== 'float32') return undefined;
  if (!ourActivation(attrs, preluActivationWeights, filter.shape[3] as number)) return undefined;
  const format = backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    format,
  );
  const shape = convShape(info);
  const biasFits = !bias || (bias.shape.length === 1 && bias.shape[0] === shape?.outChannels);
  return biasFits ? shape : undefined;
}

function routed(stock: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as ConvAttrs;
    const inputs = args.inputs as Record<string, TensorInfo | null | undefined>;
    const shape = ourShape(inputs, attrs);
    if (!shape) return stock(args);
    const choice = chooseKernel(shape, attrs.pad);
    if (choice.kind === 'stock') return stock(args);
    const operands = { x: inputs.x as TensorInfo, filter: inputs.filter as TensorInfo, bias: inputs.bias, alpha: inputs.preluActivationWeights };
    const activation = ourActivation(attrs, inputs.preluActivationWeights, shape.outChannels) as Activation;
    return runGemmConv(args.backend as WebGPUBackend, shape, choice, operands, activation);
  };
}

/** The plan's kernel for a conv shape (recording the shape while a recording runs). */
export function chooseKernel(shape: ConvShape, pad: ConvAttrs['pad']): KernelChoice {
  const key = shapeKey(shape);
  routing.seen?.set(key, { shape, pad });
  return routing.choices.get(key) ?? (routing.unplanned === 'stock' ? STOCK : defaultConfig(shape, routing.unplanned === 'f16'));
}

/** Puts our conv kernels in front of TF.js's WebGPU ones (once per page; stock stays reachable). */
export function installConvKernels(): void {
  for (const name of KERNELS) {
    if (stockKernels.has(name)) continue;
    const stock = tf.getKernel(name, 'webgpu');
    if (!stock) throw new Error(`TF.js's WebGPU backend has no ${name} kernel to take over`);
    stockKernels.set(name, stock.kernelFunc);
    tf.unregisterKernel(name, 'webgpu');
    const config: KernelConfig = { ...stock, kernelFunc: routed(stock.kernelFunc) };
    tf.registerKernel(config);
  }
}

/** Routes each shape key to its choice (on top of what is routed already). */
export function routeShapes(choices: Readonly<Record<string, KernelChoice>>): void {
  for (const [key, choice] of Object.entries(choices)) routing.choices.set(key, choice);
}

/** Back to TF.js's kernels for every shape (benchmarks switch between plans with it). */
export function clearRoutes(): void {
  routing.choices.clear();
  routing.unplanned = 'stock';
}

/** Records the conv shapes `run` executes (through our kernels) and returns them by key. */
export async function recordConvs(run: () => Promise<void>): Promise<Map<string, RecordedConv>> {
  const seen = new Map<string, RecordedConv>();
  routing.seen = seen;
  try {
    await run();
  } finally {
    routing.seen = undefined;
  }
  return seen;
}

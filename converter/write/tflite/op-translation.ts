/**
 * One TF node of the graph builder's output → one TFLite builtin operator, with the output's
 * static shape (batch 1) worked out here, since TFLite files carry every tensor's shape.
 */
import type { AttrValue, NodeDef } from '../../graph/graph-def.js';
import type { GraphWeight } from '../../graph/build-graph.js';
import { options, type Activation, type Padding } from './tflite-schema.js';
import type { TensorRef, TfliteSubgraph } from './tflite-subgraph.js';
import { depthwiseTo1hwc, hwioToOhwi, transpose2d } from './weight-layouts.js';

/** How a constant's values are laid out for the operator that reads it. */
type Layout = 'as-is' | 'conv-kernel' | 'depthwise-filter' | 'fc-weights';

const LAYOUTS: Record<Exclude<Layout, 'as-is'>, typeof hwioToOhwi> = {
  'conv-kernel': hwioToOhwi,
  'depthwise-filter': depthwiseTo1hwc,
  'fc-weights': transpose2d,
};

/** What the translators share: the subgraph, the graph's weights, and each node's output tensor. */
export class TranslationContext {
  private readonly outputs = new Map<string, TensorRef>();
  private readonly weights: ReadonlyMap<string, GraphWeight>;

  constructor(
    readonly subgraph: TfliteSubgraph,
    weights: readonly GraphWeight[],
  ) {
    this.weights = new Map(weights.map((w) => [w.name, w]));
  }

  /** The tensor a node produced (or, for a Const node, its data laid out for `layout`). */
  tensor(name: string, layout: Layout = 'as-is'): TensorRef {
    const found = this.outputs.get(name);
    if (found) return found;
    const weight = this.weights.get(name);
    if (!weight) throw new Error(`internal: node input '${name}' is neither an earlier node nor a weight`);
    const raw = weight.values();
    const { values, shape } = layout === 'as-is' ? { values: raw, shape: [...weight.shape] } : LAYOUTS[layout](raw as Float32Array, weight.shape);
    const ref = this.subgraph.constant(name, shape, values);
    this.outputs.set(name, ref);
    return ref;
  }

  /** A small constant's values, read without making it a tensor (a concat axis). */
  constValue(name: string): number {
    const weight = this.weights.get(name);
    if (!weight) throw new Error(`internal: '${name}' is not a constant`);
    return weight.values()[0] as number;
  }

  define(name: string, ref: TensorRef): void {
    this.outputs.set(name, ref);
  }
}

function attrOf(node: NodeDef, key: string): AttrValue {
  const value = node.attr?.[key];
  if (value === undefined) throw new Error(`internal: node ${node.name} (${node.op}) has no attribute '${key}'`);
  return value;
}

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

function stringAttr(node: NodeDef, key: string): string {
  const value = attrOf(node, key);
  if (!('s' in value)) throw new Error(`internal: ${node.name}.${key} is not a string`);
  return decode(value.s);
}

function listAttr(node: NodeDef, key: string): { ints: number[]; strings: string[] } {
  const value = attrOf(node, key);
  if (!('list' in value)) throw new Error(`internal: ${node.name}.${key} is not a list`);
  return { ints: (value.list.i ?? []).map(Number), strings: (value.list.s ?? []).map(decode) };
}

/** The activation fused after BiasAdd, from `fused_ops` (['BiasAdd'] or ['BiasAdd', 'Relu']). */
function fusedActivation(node: NodeDef): Activation {
  const ops = listAttr(node, 'fused_ops').strings.join(',');
  if (ops === 'BiasAdd') return 'NONE';
  if (ops === 'BiasAdd,Relu') return 'RELU';
  throw new Error(`internal: ${node.name} fuses [${ops}], which has no TFLite translation`);
}

function padding(node: NodeDef): Padding {
  const value = stringAttr(node, 'padding');
  if (value !== 'SAME' && value !== 'VALID') throw new Error(`internal: ${node.name} has padding ${value}`);
  return value;
}

/** The one stride of an NHWC [1, s, s, 1] attribute. */
function squareStride(node: NodeDef, key = 'strides'): number {
  const [n, h, w, c] = listAttr(node, key).ints;
  if (n !== 1 || c !== 1 || h !== w || h === undefined) throw new Error(`internal: ${node.name}.${key} is not [1, s, s, 1]`);
  return h;
}

/** TF's output size along one spatial axis. */
const outputSize = (size: number, kernel: number, stride: number, pad: Padding) =>
  pad === 'SAME' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;

function spatialShape(input: TensorRef, [kh, kw]: readonly number[], stride: number, pad: Padding, channels: number): number[] {
  const [n, h, w] = input.shape as [number, number, number];
  return [n, outputSize(h, kh as number, stride, pad), outputSize(w, kw as number, stride, pad), channels];
}

function input(node: NodeDef, i: number): string {
  const name = node.input?.[i];
  if (name === undefined) throw new Error(`internal: ${node.name} (${node.op}) has no input ${i}`);
  return name;
}

type Translator = (node: NodeDef, ctx: TranslationContext) => TensorRef;

const convLike =
  (kind: 'conv' | 'depthwise', fused: boolean): Translator =>
  (node, ctx) => {
    const x = ctx.tensor(input(node, 0));
    const filter = ctx.tensor(input(node, 1), kind === 'conv' ? 'conv-kernel' : 'depthwise-filter');
    // TFLite's CONV_2D and XNNPACK's take a bias; a bare Conv2D gets zeros.
    const outChannels = filter.shape[kind === 'conv' ? 0 : 3] as number;
    const bias = fused ? ctx.tensor(input(node, 2)) : ctx.subgraph.constant(`${node.name}/zero_bias`, [outChannels], new Float32Array(outChannels));
    const pad = padding(node);
    const stride = squareStride(node);
    const act = fused ? fusedActivation(node) : 'NONE';
    const out = ctx.subgraph.activation(node.name, spatialShape(x, filter.shape.slice(1, 3), stride, pad, outChannels));
    return kind === 'conv'
      ? ctx.subgraph.addOperator('CONV_2D', [x, filter, bias], out, options.conv2d(pad, stride, act))
      : ctx.subgraph.addOperator('DEPTHWISE_CONV_2D', [x, filter, bias], out, options.depthwiseConv2d(pad, stride, act));
  };

const elementwise =
  (op: 'MUL' | 'ADD'): Translator =>
  (node, ctx) => {
    const x = ctx.tensor(input(node, 0));
    const y = ctx.tensor(input(node, 1));
    const out = ctx.subgraph.activation(node.name, x.shape);
    return ctx.subgraph.addOperator(op, [x, y], out, op === 'MUL' ? options.mul() : options.add());
  };

const TRANSLATORS: Readonly<Record<string, Translator>> = {
  Placeholder: (node, ctx) => {
    const value = attrOf(node, 'shape');
    if (!('shape' in value)) throw new Error(`internal: ${node.name}.shape is not a shape`);
    // The TF.js graph has a dynamic batch; this file is batch 1.
    return ctx.subgraph.activation(node.name, value.shape.dim.map((d) => Math.max(Number(d.size), 1)));
  },
  Mul: elementwise('MUL'),
  AddV2: elementwise('ADD'),
  _FusedConv2D: convLike('conv', true),
  Conv2D: convLike('conv', false),
  FusedDepthwiseConv2dNative: convLike('depthwise', true),
  MaxPool: (node, ctx) => {
    const x = ctx.tensor(input(node, 0));
    const size = squareStride(node, 'ksize');
    const stride = squareStride(node);
    const pad = padding(node);
    const out = ctx.subgraph.activation(node.name, spatialShape(x, [size, size], stride, pad, x.shape[3] as number));
    return ctx.subgraph.addOperator('MAX_POOL_2D', [x], out, options.pool2d(pad, stride, size));
  },
  ConcatV2: (node, ctx) => {
    const names = node.input ?? [];
    const parts = names.slice(0, -1).map((name) => ctx.tensor(name));
    const axis = ctx.constValue(names[names.length - 1] as string);
    const shape = [...(parts[0] as TensorRef).shape];
    shape[axis] = parts.reduce((sum, p) => sum + (p.shape[axis] as number), 0);
    return ctx.subgraph.addOperator('CONCATENATION', parts, ctx.subgraph.activation(node.name, shape), options.concatenation(axis));
  },
  Mean: (node, ctx) => {
    const x = ctx.tensor(input(node, 0));
    const axes = ctx.tensor(input(node, 1));
    const keepDims = attrOf(node, 'keep_dims');
    if ('b' in keepDims && keepDims.b) {
      throw new Error(`internal: ${node.name} keeps dims; the translation drops the spatial axes`);
    }
    const out = ctx.subgraph.activation(node.name, [x.shape[0] as number, x.shape[3] as number]);
    return ctx.subgraph.addOperator('MEAN', [x, axes], out, options.reducer(false));
  },
  _FusedMatMul: (node, ctx) => {
    const x = ctx.tensor(input(node, 0));
    const transposed = ['transpose_a', 'transpose_b'].some((key) => {
      const value = attrOf(node, key);
      return 'b' in value && value.b;
    });
    if (transposed) throw new Error(`internal: ${node.name} transposes an operand; the translation expects [in, out] weights`);
    const weights = ctx.tensor(input(node, 1), 'fc-weights');
    const bias = ctx.tensor(input(node, 2));
    const out = ctx.subgraph.activation(node.name, [x.shape[0] as number, weights.shape[0] as number]);
    return ctx.subgraph.addOperator('FULLY_CONNECTED', [x, weights, bias], out, options.fullyConnected(fusedActivation(node)));
  },
};

/** Adds `node` to the subgraph (Const nodes become tensors when an operator first reads them). */
export function translateNode(node: NodeDef, ctx: TranslationContext): void {
  if (node.op === 'Const') return;
  const translate = TRANSLATORS[node.op];
  if (!translate) throw new Error(`internal: no TFLite translation for ${node.op} (node ${node.name})`);
  ctx.define(node.name, translate(node, ctx));
}

/**
 * One TF.js kernel of our profiled inference → a one-operator TFLite model of the same shapes,
 * written with our converter's TFLite encoder, so LiteRT.js can time that operator alone.
 */
import { attr, constNode, type AttrValue, type NodeDef } from '../../converter/graph/graph-def.js';
import type { GraphWeight } from '../../converter/graph/build-graph.js';
import type { TfliteSource } from '../../converter/write/tflite/encode-tflite.js';

/** A kernel as tf.profile reports it (the page sends these back). */
export interface KernelRecord {
  readonly name: string;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShape: readonly number[];
}

/** What the page needs to run a single-op model: its file and the shapes of its inputs. */
export interface SingleOpModel {
  readonly file: string;
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

const FLOAT = attr.type('DT_FLOAT');
const NHWC = attr.string('NHWC');

/** Small deterministic values: the timing must not depend on them, and none is denormal. */
function filled(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 0.1;
  }
  return out;
}

function weight(name: string, shape: readonly number[], values?: Float32Array | Int32Array): { node: NodeDef; weight: GraphWeight } {
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  const data = values ?? filled(count, count + shape.length);
  return {
    node: constNode(name, dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', shape),
    weight: { name, dtype, shape, quantizable: false, values: () => data },
  };
}

const placeholder = (name: string, shape: readonly number[]): NodeDef => ({ name, op: 'Placeholder', attr: { dtype: FLOAT, shape: attr.shape(shape) } });

/** The (stride, padding) that turns `input` into `output` for a `kernel`-sized window, as TF computes sizes. */
export function strideAndPadding(input: readonly number[], output: readonly number[], kernel: readonly number[]): { stride: number; padding: 'SAME' | 'VALID' } {
  for (const stride of [1, 2]) {
    for (const padding of ['SAME', 'VALID'] as const) {
      const size = (n: number, k: number) => (padding === 'SAME' ? Math.ceil(n / stride) : Math.floor((n - k) / stride) + 1);
      if (size(input[1] as number, kernel[0] as number) === output[1] && size(input[2] as number, kernel[1] as number) === output[2]) return { stride, padding };
    }
  }
  throw new Error(`no stride and padding take [${input.join(',')}] to [${output.join(',')}] with a ${kernel.join('×')} window`);
}

const convAttrs = (stride: number, padding: string): Record<string, AttrValue> => ({
  T: FLOAT,
  data_format: NHWC,
  strides: attr.ints([1, stride, stride, 1]),
  dilations: attr.ints([1, 1, 1, 1]),
  padding: attr.string(padding),
});
const fused = (ops: string[]): Record<string, AttrValue> => ({ fused_ops: attr.strings(ops), num_args: attr.int(1) });

/** The op node for `kernel` reading placeholders x0.. and constants w, b; undefined for kernels with no TFLite counterpart here. */
function opNode(
  kernel: KernelRecord,
  consts: (name: string, shape: readonly number[], values?: Int32Array) => string,
): { node: NodeDef; inputs: readonly (readonly number[])[] } | undefined {
  const [x, filter] = kernel.inputShapes as [number[], number[]];
  switch (kernel.name) {
    case 'FusedConv2D':
    case 'Conv2D':
    case 'FusedDepthwiseConv2D': {
      const { stride, padding } = strideAndPadding(x, kernel.outputShape, filter);
      const bias = kernel.name === 'Conv2D' ? [] : [consts('b', [kernel.outputShape[3] as number])];
      const op = { FusedConv2D: '_FusedConv2D', Conv2D: 'Conv2D', FusedDepthwiseConv2D: 'FusedDepthwiseConv2dNative' }[kernel.name];
      const attrs = kernel.name === 'Conv2D' ? convAttrs(stride, padding) : { ...convAttrs(stride, padding), ...fused(['BiasAdd', 'Relu']) };
      return { node: { name: 'op', op, input: ['x0', consts('w', filter), ...bias], attr: attrs }, inputs: [x] };
    }
    case 'MaxPool': {
      const { stride, padding } = strideAndPadding(x, kernel.outputShape, [3, 3]);
      const attrs = { T: FLOAT, data_format: NHWC, ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, stride, stride, 1]), padding: attr.string(padding) };
      return { node: { name: 'op', op: 'MaxPool', input: ['x0'], attr: attrs }, inputs: [x] };
    }
    case 'Concat': {
      const names = kernel.inputShapes.map((_, i) => `x${i}`);
      return { node: { name: 'op', op: 'ConcatV2', input: [...names, consts('axis', [], Int32Array.of(3))], attr: { T: FLOAT } }, inputs: kernel.inputShapes };
    }
    case 'Mean':
      return { node: { name: 'op', op: 'Mean', input: ['x0', consts('axes', [2], Int32Array.of(1, 2))], attr: { T: FLOAT, keep_dims: attr.bool(false) } }, inputs: [x] };
    case '_FusedMatMul': {
      // TF.js reports the batched-matmul shapes [1, m, k] and [1, k, n]; the op is [m, k] × [k, n].
      const [a, b] = [x.slice(-2), filter.slice(-2)];
      const attrs = { T: FLOAT, transpose_a: attr.bool(false), transpose_b: attr.bool(false), ...fused(['BiasAdd']) };
      return { node: { name: 'op', op: '_FusedMatMul', input: ['x0', consts('w', b), consts('b', [b[1] as number])], attr: attrs }, inputs: [a] };
    }
    case 'Multiply':
    case 'Add':
      return { node: { name: 'op', op: kernel.name === 'Add' ? 'AddV2' : 'Mul', input: ['x0', consts('c', filter)], attr: { T: FLOAT } }, inputs: [x] };
    default:
      return undefined;
  }
}

/** The single-op model of `kernel` as a TFLite source, or undefined when it has no counterpart (Reshape, Cast). */
export function singleOpSource(kernel: KernelRecord): { source: TfliteSource; inputs: SingleOpModel['inputs'] } | undefined {
  const weights: GraphWeight[] = [];
  const constNodes: NodeDef[] = [];
  const consts = (name: string, shape: readonly number[], values?: Int32Array) => {
    const made = weight(name, shape, values);
    weights.push(made.weight);
    constNodes.push(made.node);
    return name;
  };
  const op = opNode(kernel, consts);
  if (!op) return undefined;
  const inputs = op.inputs.map((shape, i) => ({ name: `x${i}`, shape }));
  const nodes = [...inputs.map((i) => placeholder(i.name, i.shape)), ...constNodes, op.node];
  return { source: { nodes, weights, inputs: inputs.map((i) => i.name), outputs: ['op'], description: `single ${kernel.name}` }, inputs };
}

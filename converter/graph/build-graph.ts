import type { ModelNormalization } from '../../shared/model-metadata.js';
import { attr, constNode, type AttrValue, type NodeDef, type TfDType } from './graph-def.js';
import { EMBEDDING_SIZE, INCEPTION_V3_FEATURES, INPUT_SIZE, type ConvSpec, type LayerSpec } from '../model/inception-v3-spec.js';
import { inputAffine } from '../model/normalization.js';

/** Names of the graph's input and outputs: the contract between converter and runtime. */
export const GRAPH_NAMES = {
  input: 'pixels',
  logits: 'logits',
  embedding: 'embedding',
} as const;

/** A weight the graph needs; `values()` is called once, when the writer reaches it. */
export interface GraphWeight {
  readonly name: string;
  readonly dtype: 'float32' | 'int32';
  readonly shape: readonly number[];
  /** Biases and tiny constants stay float32 even when kernels are quantized. */
  readonly quantizable: boolean;
  values(): Float32Array | Int32Array;
}

export interface WeightProvider {
  conv(spec: ConvSpec): { kernel: Float32Array; bias: Float32Array };
  fc(): { kernel: Float32Array; bias: Float32Array };
}

export interface GraphOptions {
  /** Classes of the fc head; 0 builds no head (an embedding-only model without `logits`). */
  readonly numClasses: number;
  /** Applied to the raw [0, 255] pixels as the graph's first two ops. */
  readonly normalization: ModelNormalization;
}

export interface InceptionGraph {
  readonly nodes: NodeDef[];
  readonly weights: GraphWeight[];
  readonly outputs: string[];
}

const NHWC = attr.string('NHWC');
const FLOAT = attr.type('DT_FLOAT');

/** torchvision's module path as a graph node name: `Mixed_5b.branch1x1` → `Mixed_5b/branch1x1`. */
const nodeName = (spec: ConvSpec) => spec.name.replace(/\./g, '/');

function convAttrs(stride: number, padding: ConvSpec['padding']): Record<string, AttrValue> {
  return {
    T: FLOAT,
    data_format: NHWC,
    strides: attr.ints([1, stride, stride, 1]),
    dilations: attr.ints([1, 1, 1, 1]),
    padding: attr.string(padding),
  };
}

/** Builds the graph by walking the spec; each emit returns the name of the node it added. */
class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly weights: GraphWeight[] = [];
  private readonly folded = new Map<string, { kernel: Float32Array; bias: Float32Array }>();

  constructor(private readonly provider: WeightProvider) {}

  addConst(name: string, dtype: 'float32' | 'int32', shape: number[], quantizable: boolean, values: () => Float32Array | Int32Array): string {
    const tfType: TfDType = dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32';
    this.nodes.push(constNode(name, tfType, shape));
    this.weights.push({ name, dtype, shape, quantizable, values });
    return name;
  }

  add(node: NodeDef): string {
    this.nodes.push(node);
    return node.name;
  }

  /** Folds a conv's BN once and hands out kernel and bias separately, freeing each when taken. */
  private foldedPart(spec: ConvSpec, part: 'kernel' | 'bias'): Float32Array {
    let entry = this.folded.get(spec.name);
    if (!entry) {
      entry = this.provider.conv(spec);
      this.folded.set(spec.name, entry);
    }
    if (part === 'bias') this.folded.delete(spec.name);
    return entry[part];
  }

  /** The kernel and bias consts of `spec`, BN folded, under the node name `name`. */
  private convWeights(name: string, spec: ConvSpec): { kernel: string; bias: string } {
    const [kh, kw] = spec.kernel;
    const kernel = this.addConst(`${name}/kernel`, 'float32', [kh, kw, spec.inChannels, spec.outChannels], true, () =>
      this.foldedPart(spec, 'kernel'),
    );
    const bias = this.addConst(`${name}/bias`, 'float32', [spec.outChannels], false, () => this.foldedPart(spec, 'bias'));
    return { kernel, bias };
  }

  conv(input: string, spec: ConvSpec): string {
    const name = nodeName(spec);
    const { kernel, bias } = this.convWeights(name, spec);
    return this.add({
      name,
      op: '_FusedConv2D',
      input: [input, kernel, bias],
      attr: { ...convAttrs(spec.stride, spec.padding), fused_ops: attr.strings(['BiasAdd', 'Relu']), num_args: attr.int(1), epsilon: attr.float(0) },
    });
  }

  /**
   * avg_pool2d(3, stride 1, padding 1) with count_include_pad=True: explicit zero padding, then a
   * VALID pool, since TF's SAME average would leave the padding out of the count. The
   * reorder-pool-branches pass turns this and the 1×1 conv after it into fewer, smaller kernels.
   */
  avgPool(scope: string, input: string): string {
    const padded = this.add({ name: `${scope}/pad`, op: 'Pad', input: [input, 'const/pool_padding'], attr: { T: FLOAT, Tpaddings: attr.type('DT_INT32') } });
    return this.add({
      name: `${scope}/avg_pool`,
      op: 'AvgPool',
      input: [padded],
      attr: { T: FLOAT, data_format: NHWC, ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, 1, 1, 1]), padding: attr.string('VALID') },
    });
  }

  maxPool(name: string, input: string): string {
    return this.add({
      name,
      op: 'MaxPool',
      input: [input],
      attr: { T: FLOAT, data_format: NHWC, ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, 2, 2, 1]), padding: attr.string('VALID') },
    });
  }
}

/**
 * Emits `spec` reading from `input` and returns the output node's name. `scope` names the
 * pooling nodes, which have no torchvision module name of their own.
 */
function emit(b: GraphBuilder, spec: LayerSpec, input: string, scope: string): string {
  switch (spec.kind) {
    case 'conv':
      return b.conv(input, spec);
    case 'maxpool':
      return b.maxPool(`${scope}/max_pool`, input);
    case 'avgpool':
      return b.avgPool(scope, input);
    case 'sequence':
      return spec.items.reduce((previous, item, i) => emit(b, item, previous, `${scope}/${i}`), input);
    case 'concat': {
      const name = spec.name ?? `${scope}/concat`;
      const branches = spec.branches.map((branch, i) => emit(b, branch, input, `${name}/branch${i}`));
      return b.add({
        name,
        op: 'ConcatV2',
        input: [...branches, 'const/channel_axis'],
        attr: { T: FLOAT, N: attr.int(branches.length), Tidx: attr.type('DT_INT32') },
      });
    }
  }
}

/**
 * The whole inference graph, NHWC with a dynamic batch: raw pixels in [0, 255] → the net's
 * normalisation → features → global average pool (`embedding`) → fc (`logits`, when the
 * checkpoint has one). Mixed blocks are named nodes (`Mixed_5d`, `Mixed_6e`, `Mixed_7c`, ...)
 * that the runtime can fetch as feature maps.
 */
export function buildInceptionGraph(provider: WeightProvider, options: GraphOptions): InceptionGraph {
  const b = new GraphBuilder(provider);
  const input = b.add({
    name: GRAPH_NAMES.input,
    op: 'Placeholder',
    attr: { dtype: FLOAT, shape: attr.shape([-1, INPUT_SIZE, INPUT_SIZE, 3]) },
  });
  b.addConst('const/channel_axis', 'int32', [], false, () => Int32Array.of(3));
  b.addConst('const/spatial_axes', 'int32', [2], false, () => Int32Array.of(1, 2));
  b.addConst('const/pool_padding', 'int32', [4, 2], false, () => Int32Array.of(0, 0, 1, 1, 1, 1, 0, 0));
  const features = emit(b, INCEPTION_V3_FEATURES, normalizeInput(b, input, options.normalization), 'stem');
  const embedding = b.add({
    name: GRAPH_NAMES.embedding,
    op: 'Mean',
    input: [features, 'const/spatial_axes'],
    attr: { T: FLOAT, Tidx: attr.type('DT_INT32'), keep_dims: attr.bool(false) },
  });
  const endpoints = [embedding, 'Mixed_5d', 'Mixed_6e', 'Mixed_7c'];
  const outputs = options.numClasses > 0 ? [classifierHead(b, provider, embedding, options.numClasses), ...endpoints] : endpoints;
  return { nodes: b.nodes, weights: b.weights, outputs };
}

/**
 * (x/255 − mean)/std as x·scale + shift. A per-channel [3] constant broadcasts over NHWC's last
 * axis; when all channels agree (torchvision's x/127.5 − 1) it is a scalar.
 */
function normalizeInput(b: GraphBuilder, input: string, normalization: ModelNormalization): string {
  const channelConst = (name: string, values: number[]) =>
    values.every((v) => v === values[0])
      ? b.addConst(name, 'float32', [], false, () => Float32Array.of(values[0] as number))
      : b.addConst(name, 'float32', [3], false, () => Float32Array.from(values));
  const { scale, shift } = inputAffine(normalization);
  const scaled = b.add({ name: 'input/scale', op: 'Mul', input: [input, channelConst('const/input_scale', scale)], attr: { T: FLOAT } });
  return b.add({ name: 'input/shift', op: 'AddV2', input: [scaled, channelConst('const/input_shift', shift)], attr: { T: FLOAT } });
}

function classifierHead(b: GraphBuilder, provider: WeightProvider, embedding: string, numClasses: number): string {
  let fc: { kernel: Float32Array; bias: Float32Array } | undefined;
  const fcPart = (part: 'kernel' | 'bias') => (fc ??= provider.fc())[part];
  const fcKernel = b.addConst('fc/kernel', 'float32', [EMBEDDING_SIZE, numClasses], true, () => fcPart('kernel'));
  const fcBias = b.addConst('fc/bias', 'float32', [numClasses], false, () => fcPart('bias'));
  return b.add({
    name: GRAPH_NAMES.logits,
    op: '_FusedMatMul',
    input: [embedding, fcKernel, fcBias],
    attr: {
      T: FLOAT,
      transpose_a: attr.bool(false),
      transpose_b: attr.bool(false),
      fused_ops: attr.strings(['BiasAdd']),
      num_args: attr.int(1),
      epsilon: attr.float(0),
    },
  });
}

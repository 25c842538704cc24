import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { CHANNEL_PARTS_OP, type ChannelPart } from './channel-parts.js';
import { registerChannelPartsOp } from './channel-parts-op.js';
import { fuseSiblingHeads } from './fuse-sibling-heads.js';
import { GraphConsts } from './graph-consts.js';
import { ints, isPlainNhwc, nodeOf, same, text, texts, type NodeJson } from './graph-json.js';

/**
 * Rewrites a converted graph for our WebGPU kernels, at load time (the model file stays plain, so
 * WASM, WebGL and stock TF.js run it as written). First each Mixed block's sibling 1×1 convs
 * become one head conv and channel Slices of it (fuse-sibling-heads.ts); then:
 * - a ConcatV2 along channels whose every input comes from a conv, an average (depthwise), a max
 *   pool or a channel Slice read by nothing else becomes one InceptionChannelParts node: each
 *   branch writes its channels of the output, so the concat's copy disappears;
 * - a conv that reads a channel Slice (of the fused 1×1 heads) reads the range itself, as a
 *   one-part node, so the Slice's copy disappears;
 * - a conv does the work of the op before it as it reads its input, which then goes: the first
 *   conv normalises the pixels (Mul, AddV2) and a 1×1 conv max-pools.
 * Slices left with no reader are dropped. The nodes keep their names, so outputs are unchanged.
 */

interface PartOf {
  readonly part: ChannelPart;
  readonly operands: readonly string[];
  /** Nodes whose work the part does as it reads its input (they go from the graph). */
  readonly absorbs: readonly string[];
}

interface ChannelRange {
  readonly source: string;
  readonly begin: number;
  readonly count: number;
}

const CONVS: ReadonlySet<string> = new Set(['_FusedConv2D', 'Conv2D', 'FusedDepthwiseConv2dNative']);

class Rewrite {
  private readonly byName: Map<string, NodeJson>;
  private readonly readers = new Map<string, number>();

  constructor(
    private readonly nodes: readonly NodeJson[],
    private readonly consts: GraphConsts,
  ) {
    this.byName = new Map(nodes.map((node) => [node.name, node]));
    for (const node of nodes) for (const input of node.input ?? []) this.readers.set(nodeOf(input), (this.readers.get(nodeOf(input)) ?? 0) + 1);
  }

  /** A Slice of channels only: begin [0, 0, 0, c0], size [-1, -1, -1, n]. */
  private channelRange(name: string): ChannelRange | undefined {
    const node = this.byName.get(nodeOf(name));
    if (node?.op !== 'Slice' || !node.input || node.input.length !== 3) return undefined;
    const begin = this.consts.values(node.input[1] as string) ?? [];
    const size = this.consts.values(node.input[2] as string) ?? [];
    if (!same(begin.slice(0, 3), [0, 0, 0]) || !same(size.slice(0, 3), [-1, -1, -1]) || begin.length !== 4 || size.length !== 4) return undefined;
    const [c0, count] = [begin[3] as number, size[3] as number];
    return c0 >= 0 && count > 0 ? { source: node.input[0] as string, begin: c0, count } : undefined;
  }

  /** What `node` computes, as a part, when our kernels can run it; else undefined. */
  partOf(node: NodeJson): PartOf | undefined {
    const basic = this.basicPart(node);
    if (basic?.part.kind !== 'conv' || basic.part.count >= 0) return basic;
    const producer = this.soleProducer(basic.operands[0] as string);
    return (producer && (this.withAffine(basic, producer) ?? this.withMaxPool(basic, producer))) ?? basic;
  }

  /** The node `name` when nothing but one op reads it (so that op may do its work). */
  private soleProducer(name: string): NodeJson | undefined {
    return name.includes(':') || name.startsWith('^') || this.readers.get(name) !== 1 ? undefined : this.byName.get(name);
  }

  /** A conv without padding whose input is AddV2(Mul(x, scale), shift): it normalises x as it reads it. */
  private withAffine(conv: PartOf, add: NodeJson): PartOf | undefined {
    const mul = add.op === 'AddV2' && conv.part.padding === 'valid' ? this.soleProducer(add.input?.[0] ?? '') : undefined;
    if (mul?.op !== 'Mul') return undefined;
    const [source, scaleName] = mul.input ?? [];
    const [scale, shift] = [this.consts.values(scaleName ?? '', 'float32'), this.consts.values(add.input?.[1] ?? '', 'float32')];
    if (!source || scale?.length !== 1 || shift?.length !== 1) return undefined;
    const affine = { scale: scale[0] as number, shift: shift[0] as number };
    return { part: { ...conv.part, affine }, operands: [source, ...conv.operands.slice(1)], absorbs: [add.name, mul.name] };
  }

  /** A 1×1 conv (stride 1, no padding) of a max pool's output: it pools as it reads. */
  private withMaxPool(conv: PartOf, pool: NodeJson): PartOf | undefined {
    const source = pool.op === 'MaxPool' && this.pointwise(conv) ? this.basicPart(pool) : undefined;
    if (!source || source.part.count >= 0) return undefined;
    const { window, strides, padding } = source.part;
    return { part: { ...conv.part, pool: { kind: 'max', window, strides, padding } }, operands: [source.operands[0] as string, ...conv.operands.slice(1)], absorbs: [pool.name] };
  }

  private pointwise({ part, operands }: PartOf): boolean {
    const filter = this.consts.shape(operands[1] as string);
    return filter?.[0] === 1 && filter[1] === 1 && same(part.strides, [1, 1]) && part.padding === 'valid';
  }

  /** What `node` alone computes, as a part, when our kernels can run it; else undefined. */
  private basicPart(node: NodeJson): PartOf | undefined {
    const [x, ...weights] = node.input ?? [];
    if (x === undefined) return undefined;
    if (node.op === 'Slice') {
      const copied = this.channelRange(node.name);
      return copied && this.part('copy', copied, [], [1, 1], 'VALID');
    }
    const range = this.channelRange(x) ?? { source: x, begin: 0, count: -1 };
    const strides = ints(node.attr?.strides);
    const padding = text(node.attr?.padding);
    if (!isPlainNhwc(node) || strides.length !== 4 || (padding !== 'SAME' && padding !== 'VALID')) return undefined;
    const stride: [number, number] = [strides[1] as number, strides[2] as number];
    if (node.op === 'MaxPool') {
      const ksize = ints(node.attr?.ksize);
      return ksize.length === 4 ? this.part('max', range, [], [ksize[1] as number, ksize[2] as number], padding, stride) : undefined;
    }
    if (!CONVS.has(node.op)) return undefined;
    const depthwise = node.op === 'FusedDepthwiseConv2dNative';
    if (depthwise && this.consts.shape(weights[0] as string)?.[3] !== 1) return undefined;
    const fused = node.op === 'Conv2D' ? [] : texts(node.attr?.fused_ops);
    const activation = fused.length === 1 && fused[0] === 'BiasAdd' ? 'linear' : fused[1] === 'Relu' ? 'relu' : fused[1] === 'Prelu' ? 'prelu' : undefined;
    const bias = fused[0] === 'BiasAdd';
    if (node.op !== 'Conv2D' && (!bias || !activation || fused.length > 2)) return undefined;
    const needed = 1 + Number(bias) + Number(activation === 'prelu');
    if (weights.length !== needed) return undefined;
    return this.part(depthwise ? 'depthwise' : 'conv', range, weights, [1, 1], padding, stride, activation ?? 'linear', bias);
  }

  private part(
    kind: ChannelPart['kind'],
    range: ChannelRange,
    weights: readonly string[],
    window: [number, number],
    padding: string,
    strides: [number, number] = [1, 1],
    activation: ChannelPart['activation'] = 'linear',
    bias = false,
  ): PartOf {
    const operands = [range.source, ...weights];
    const part: ChannelPart = { kind, operands: operands.length, begin: range.begin, count: range.count, strides, window, padding: padding.toLowerCase() as ChannelPart['padding'], activation, bias };
    return { part, operands, absorbs: [] };
  }

  /** A ConcatV2 along channels whose inputs all become parts, as one node; else undefined. */
  concat(node: NodeJson): PartOf[] | undefined {
    const inputs = node.input ?? [];
    const axis = this.consts.values(inputs.at(-1) ?? '');
    if (node.op !== 'ConcatV2' || axis?.length !== 1 || (axis[0] !== 3 && axis[0] !== -1)) return undefined;
    const producers = inputs.slice(0, -1).map((input) => (input.includes(':') || input.startsWith('^') ? undefined : this.byName.get(input)));
    const parts = producers.map((producer) => producer && this.readers.get(producer.name) === 1 ? this.partOf(producer) : undefined);
    return parts.length === 0 || parts.some((part) => part === undefined) ? undefined : (parts as PartOf[]);
  }

  /** A conv that reads a channel range or does its input's work, as a one-part node; else undefined. */
  single(node: NodeJson): PartOf | undefined {
    const part = CONVS.has(node.op) ? this.partOf(node) : undefined;
    return part && (part.part.count >= 0 || part.absorbs.length > 0) ? part : undefined;
  }

  /** The graph with every rewrite applied. */
  run(): NodeJson[] {
    const absorbed = new Set<string>();
    const replaced = new Map<string, NodeJson>();
    const replace = (node: NodeJson, parts: readonly PartOf[]) => {
      replaced.set(node.name, partsNode(node.name, parts));
      for (const { absorbs } of parts) for (const name of absorbs) absorbed.add(name);
    };
    for (const node of this.nodes) {
      const parts = this.concat(node);
      if (!parts) continue;
      replace(node, parts);
      for (const input of (node.input ?? []).slice(0, -1)) absorbed.add(input);
    }
    for (const node of this.nodes) {
      if (absorbed.has(node.name) || replaced.has(node.name)) continue;
      const part = this.single(node);
      if (part) replace(node, [part]);
    }
    const rewritten = this.nodes.filter((node) => !absorbed.has(node.name)).map((node) => replaced.get(node.name) ?? node);
    const read = new Set(rewritten.flatMap((node) => (node.input ?? []).map(nodeOf)));
    return rewritten.filter((node) => node.op !== 'Slice' || read.has(node.name));
  }
}

function partsNode(name: string, parts: readonly PartOf[]): NodeJson {
  const description = JSON.stringify(parts.map(({ part }) => part));
  return { name, op: CHANNEL_PARTS_OP, input: parts.flatMap(({ operands }) => operands), attr: { parts: { s: btoa(description) } } };
}

/** The artifacts rewritten for our kernels, and the weights no node reads any more. */
export interface RewrittenModel {
  readonly artifacts: tf.io.ModelArtifacts;
  readonly unreadWeights: readonly string[];
}

/**
 * The artifacts with the sibling 1×1 convs fused (fuse-sibling-heads.ts) and the graph rewritten
 * (the original weights shared, not copied), and the op registered with TF.js.
 */
export function rewriteForChannelParts(artifacts: tf.io.ModelArtifacts): RewrittenModel {
  const topology = artifacts.modelTopology as { node?: NodeJson[] } | undefined;
  if (!topology?.node || artifacts.weightData === undefined) return { artifacts, unreadWeights: [] };
  registerChannelPartsOp();
  const fused = fuseSiblingHeads(topology.node, artifacts, new GraphConsts(artifacts));
  const node = new Rewrite(fused.nodes, new GraphConsts(fused.artifacts)).run();
  return { artifacts: { ...fused.artifacts, modelTopology: { ...topology, node } }, unreadWeights: fused.unreadWeights };
}

/**
 * The model rewritten for our kernels, loaded: the fused members' weights, which TF.js decodes
 * though no node reads them, are let go, and so are the fused weights' bytes once uploaded (the
 * caller's artifacts keep the original ones for a reload after a device loss).
 */
export async function loadForOurKernels(artifacts: tf.io.ModelArtifacts): Promise<GraphModel> {
  const rewritten = rewriteForChannelParts(artifacts);
  const model = await loadGraphModel(tf.io.fromMemory(rewritten.artifacts));
  for (const name of rewritten.unreadWeights) {
    tf.dispose(model.weights[name]);
    delete model.weights[name];
  }
  if (rewritten.artifacts !== artifacts) rewritten.artifacts.weightData = undefined;
  return model;
}

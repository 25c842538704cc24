import * as tf from '@tensorflow/tfjs-core';
import { CHANNEL_PARTS_OP, type ChannelPart } from './channel-parts.js';
import { registerChannelPartsOp } from './channel-parts-op.js';

/**
 * Rewrites a converted graph for our WebGPU kernels, at load time (the model file stays plain, so
 * WASM, WebGL and stock TF.js run it as written):
 * - a ConcatV2 along channels whose every input comes from a conv, an average (depthwise), a max
 *   pool or a channel Slice read by nothing else becomes one InceptionChannelParts node: each
 *   branch writes its channels of the output, so the concat's copy disappears;
 * - a conv that reads a channel Slice (of the fused 1×1 heads) reads the range itself, as a
 *   one-part node, so the Slice's copy disappears.
 * Slices left with no reader are dropped. The nodes keep their names, so outputs are unchanged.
 */

interface NodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrJson>;
}

interface AttrJson {
  s?: string;
  i?: string | number;
  list?: { s?: string[]; i?: (string | number)[] };
}

interface PartOf {
  readonly part: ChannelPart;
  readonly operands: readonly string[];
}

interface ChannelRange {
  readonly source: string;
  readonly begin: number;
  readonly count: number;
}

const CONVS: ReadonlySet<string> = new Set(['_FusedConv2D', 'Conv2D', 'FusedDepthwiseConv2dNative']);

/** An input's node name: 'a:0' and '^a' name node 'a'. */
const nodeOf = (input: string) => input.replace(/^\^/, '').replace(/:\d+$/, '');

const text = (attr: AttrJson | undefined): string | undefined => (attr?.s === undefined ? undefined : atob(attr.s));
const ints = (attr: AttrJson | undefined): number[] => (attr?.list?.i ?? []).map(Number);
const texts = (attr: AttrJson | undefined): string[] => (attr?.list?.s ?? []).map((s) => atob(s));
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Bytes one stored element takes: the quantized type's where the weight is quantized. */
function elementBytes(spec: tf.io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  return dtype === 'uint8' || dtype === 'bool' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : 4;
}

/** Reads int32 constants (a Slice's begin and size, a concat's axis) from the weight bytes. */
class Int32Consts {
  private readonly offsets = new Map<string, { spec: tf.io.WeightsManifestEntry; offset: number }>();
  private readonly data: tf.io.CompositeArrayBuffer;

  constructor(artifacts: tf.io.ModelArtifacts) {
    let offset = 0;
    for (const spec of artifacts.weightSpecs ?? []) {
      this.offsets.set(spec.name, { spec, offset });
      offset += spec.shape.reduce((a, b) => a * b, 1) * elementBytes(spec);
    }
    this.data = new tf.io.CompositeArrayBuffer(artifacts.weightData);
  }

  /** The values, or undefined for a name that is not an unquantized int32 weight. */
  values(name: string): number[] | undefined {
    const found = this.offsets.get(name);
    if (!found || found.spec.dtype !== 'int32' || found.spec.quantization) return undefined;
    const size = found.spec.shape.reduce((a, b) => a * b, 1);
    return Array.from(new Int32Array(this.data.slice(found.offset, found.offset + size * 4)));
  }

  shape(name: string): readonly number[] | undefined {
    return this.offsets.get(name)?.spec.shape;
  }
}

class Rewrite {
  private readonly byName: Map<string, NodeJson>;
  private readonly readers = new Map<string, number>();

  constructor(
    private readonly nodes: readonly NodeJson[],
    private readonly consts: Int32Consts,
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
    const [x, ...weights] = node.input ?? [];
    if (x === undefined) return undefined;
    if (node.op === 'Slice') {
      const copied = this.channelRange(node.name);
      return copied && this.part('copy', copied, [], [1, 1], 'VALID');
    }
    const range = this.channelRange(x) ?? { source: x, begin: 0, count: -1 };
    const strides = ints(node.attr?.strides);
    const padding = text(node.attr?.padding);
    const nhwc = (text(node.attr?.data_format) ?? 'NHWC') === 'NHWC' && same(ints(node.attr?.dilations).filter((d) => d !== 1), []);
    if (!nhwc || strides.length !== 4 || (padding !== 'SAME' && padding !== 'VALID')) return undefined;
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
    return { part, operands };
  }

  /** A ConcatV2 along channels whose inputs all become parts, as one node; else undefined. */
  concat(node: NodeJson): NodeJson | undefined {
    const inputs = node.input ?? [];
    const axis = this.consts.values(inputs.at(-1) ?? '');
    if (node.op !== 'ConcatV2' || axis?.length !== 1 || (axis[0] !== 3 && axis[0] !== -1)) return undefined;
    const producers = inputs.slice(0, -1).map((input) => (input.includes(':') || input.startsWith('^') ? undefined : this.byName.get(input)));
    const parts = producers.map((producer) => producer && this.readers.get(producer.name) === 1 ? this.partOf(producer) : undefined);
    if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
    return partsNode(node.name, parts as PartOf[]);
  }

  /** A conv reading a channel Slice, as a one-part node; else undefined. */
  rangeConv(node: NodeJson): NodeJson | undefined {
    if (!CONVS.has(node.op) || !node.input?.[0] || !this.channelRange(node.input[0])) return undefined;
    const part = this.partOf(node);
    return part && partsNode(node.name, [part]);
  }

  /** The graph with every rewrite applied. */
  run(): NodeJson[] {
    const absorbed = new Set<string>();
    const replaced = new Map<string, NodeJson>();
    for (const node of this.nodes) {
      const merged = this.concat(node);
      if (!merged) continue;
      replaced.set(node.name, merged);
      for (const input of (node.input ?? []).slice(0, -1)) absorbed.add(input);
    }
    for (const node of this.nodes) {
      if (absorbed.has(node.name) || replaced.has(node.name)) continue;
      const ranged = this.rangeConv(node);
      if (ranged) replaced.set(node.name, ranged);
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

/** The artifacts with the graph rewritten (weights shared, not copied), and the op registered with TF.js. */
export function rewriteForChannelParts(artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const topology = artifacts.modelTopology as { node?: NodeJson[] } | undefined;
  if (!topology?.node || artifacts.weightData === undefined) return artifacts;
  registerChannelPartsOp();
  const node = new Rewrite(topology.node, new Int32Consts(artifacts)).run();
  return { ...artifacts, modelTopology: { ...topology, node } };
}

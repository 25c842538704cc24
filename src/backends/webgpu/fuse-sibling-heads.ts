import * as tf from '@tensorflow/tfjs-core';
import { fusedBias, fusedEpilogue, sideBySideFilters, type SiblingConv } from '../../../shared/sibling-convs.js';
import type { GraphConsts } from './graph-consts.js';
import { constJson, ints, isPlainNhwc, text, texts, type NodeJson } from './graph-json.js';

/**
 * The converter's `fuse-sibling-convs` pass, done at load for our WebGPU kernels: the 1×1 convs
 * that read one tensor (the heads of a Mixed block's branches, the pool branch's bias-free one
 * among them) become one wider conv, `<block>/fused_1x1`, and each member a channel Slice of it
 * under its own name. The converter leaves that pass off by default, because on stock TF.js
 * (WASM, WebGL) the Slices are copies that cost more than the convs saved; our kernels read the
 * ranges without copies (channel-parts-graph.ts), so on WebGPU the default graph gets the fused
 * graph's dispatch count. A graph the converter fused already has no groups left, so this is a
 * no-op there. The arithmetic is shared with the converter (shared/sibling-convs.ts).
 */

interface Candidate {
  readonly node: NodeJson;
  readonly input: string;
  readonly filter: string;
  readonly bias: string | undefined;
  readonly cin: number;
  readonly channels: number;
}

/** A weight the fusion adds: its manifest entry and values. */
interface AddedWeight {
  readonly spec: tf.io.WeightsManifestEntry;
  readonly values: Float32Array | Int32Array;
}

export interface FusedHeads {
  readonly nodes: NodeJson[];
  /** The artifacts with the added weights' entries and bytes appended (the others shared, not copied). */
  readonly artifacts: tf.io.ModelArtifacts;
  /** The members' weights, which no node reads any more: the loaded model lets them go. */
  readonly unreadWeights: string[];
}

/** A 1×1, stride-1, VALID conv that is conv + bias + ReLU or a plain linear conv. */
function candidate(node: NodeJson, consts: GraphConsts): Candidate | undefined {
  const [input, filter, bias] = node.input ?? [];
  const relu = node.op === '_FusedConv2D' && node.input?.length === 3 && texts(node.attr?.fused_ops).join() === 'BiasAdd,Relu';
  if (!relu && !(node.op === 'Conv2D' && node.input?.length === 2)) return undefined;
  const [kh, kw, cin = 0, channels = 0] = consts.shape(filter ?? '') ?? [];
  const pointwise = kh === 1 && kw === 1 && text(node.attr?.padding) === 'VALID' && ints(node.attr?.strides).every((s) => s === 1);
  return input && filter && pointwise && isPlainNhwc(node) ? { node, input, filter, bias: relu ? bias : undefined, cin, channels } : undefined;
}

/** Groups of ≥ 2 candidates that read one tensor, in graph order. */
function siblingGroups(nodes: readonly NodeJson[], consts: GraphConsts): Candidate[][] {
  const groups = new Map<string, Candidate[]>();
  for (const node of nodes) {
    const member = candidate(node, consts);
    if (member) groups.set(member.input, [...(groups.get(member.input) ?? []), member]);
  }
  return [...groups.values()].filter((group) => group.length >= 2);
}

/** The members' values as TF.js decodes them; undefined when one cannot be read. */
function siblingConvs(group: readonly Candidate[], consts: GraphConsts): SiblingConv[] | undefined {
  const convs = group.map(({ filter, bias, channels }) => ({ filter: consts.floats(filter), bias: bias === undefined ? undefined : consts.floats(bias), relu: bias !== undefined, channels }));
  return convs.every((c) => c.filter && (!c.relu || c.bias)) ? (convs as SiblingConv[]) : undefined;
}

const weight = (name: string, shape: number[], values: Float32Array | Int32Array): AddedWeight => ({
  spec: { name, shape, dtype: values instanceof Int32Array ? 'int32' : 'float32' },
  values,
});

/** The fused head and one channel Slice per member, named as the member was; undefined if it cannot be made. */
function fuse(group: readonly Candidate[], consts: GraphConsts, taken: ReadonlySet<string>): { nodes: NodeJson[]; added: AddedWeight[] } | undefined {
  const first = group[0] as Candidate;
  const name = `${first.node.name.slice(0, first.node.name.lastIndexOf('/'))}/fused_1x1`;
  const convs = siblingConvs(group, consts);
  if (!convs || taken.has(name) || group.some((m) => m.cin !== first.cin || taken.has(`${m.node.name}/begin`))) return undefined;
  const total = group.reduce((sum, m) => sum + m.channels, 0);
  const { fusedOps, alpha } = fusedEpilogue(convs);
  const params = [
    weight(`${name}/kernel`, [1, 1, first.cin, total], sideBySideFilters(convs, first.cin)),
    weight(`${name}/bias`, [total], fusedBias(convs)),
    ...(alpha ? [weight(`${name}/alpha`, [total], alpha)] : []),
  ];
  const attr = { ...first.node.attr, fused_ops: { list: { s: fusedOps.map((op) => btoa(op)) } }, num_args: { i: `${params.length - 1}` }, epsilon: { f: 0 } };
  const head: NodeJson = { name, op: '_FusedConv2D', input: [first.input, ...params.map((p) => p.spec.name)], attr };
  const slices: NodeJson[] = [];
  const ranges: AddedWeight[] = [];
  let begin = 0;
  for (const m of group) {
    const [from, size] = [weight(`${m.node.name}/begin`, [4], Int32Array.of(0, 0, 0, begin)), weight(`${m.node.name}/size`, [4], Int32Array.of(-1, -1, -1, m.channels))];
    slices.push({ name: m.node.name, op: 'Slice', input: [name, from.spec.name, size.spec.name], attr: { T: { type: 'DT_FLOAT' }, Index: { type: 'DT_INT32' } } });
    ranges.push(from, size);
    begin += m.channels;
  }
  const added = [...params, ...ranges];
  return { nodes: [...added.map(({ spec, values }) => constJson(spec.name, spec.dtype as 'float32' | 'int32', spec.shape)), head, ...slices], added };
}

/** The artifacts with `added` appended: manifest entries, and their bytes as one more chunk. */
function withWeights(artifacts: tf.io.ModelArtifacts, added: readonly AddedWeight[]): tf.io.ModelArtifacts {
  const chunk = new ArrayBuffer(added.reduce((sum, w) => sum + w.values.length * 4, 0));
  let offset = 0;
  for (const { values } of added) {
    (values instanceof Int32Array ? new Int32Array(chunk, offset, values.length) : new Float32Array(chunk, offset, values.length)).set(values);
    offset += values.length * 4;
  }
  const data = artifacts.weightData ?? [];
  return { ...artifacts, weightSpecs: [...(artifacts.weightSpecs ?? []), ...added.map((w) => w.spec)], weightData: [...(Array.isArray(data) ? data : [data]), chunk] };
}

/** The graph with each group of sibling 1×1 convs fused. */
export function fuseSiblingHeads(nodes: readonly NodeJson[], artifacts: tf.io.ModelArtifacts, consts: GraphConsts): FusedHeads {
  const taken = new Set(nodes.map((n) => n.name));
  const fusedAt = new Map<string, NodeJson[]>();
  const members = new Set<string>();
  const added: AddedWeight[] = [];
  const memberWeights: string[] = [];
  for (const group of siblingGroups(nodes, consts)) {
    const fused = fuse(group, consts, taken);
    if (!fused) continue;
    fusedAt.set((group[0] as Candidate).node.name, fused.nodes);
    for (const m of group) members.add(m.node.name);
    added.push(...fused.added);
    memberWeights.push(...group.flatMap((m) => (m.bias === undefined ? [m.filter] : [m.filter, m.bias])));
  }
  if (added.length === 0) return { nodes: [...nodes], artifacts, unreadWeights: [] };
  // The head and the slices take the first member's place; the other members go.
  const fusedNodes = nodes.flatMap((n) => fusedAt.get(n.name) ?? (members.has(n.name) ? [] : [n]));
  const read = new Set(fusedNodes.flatMap((n) => n.input ?? []));
  const unreadWeights = memberWeights.filter((name) => !read.has(name));
  const unread = new Set(unreadWeights);
  return { nodes: fusedNodes.filter((n) => !unread.has(n.name)), artifacts: withWeights(artifacts, added), unreadWeights };
}

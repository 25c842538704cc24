/**
 * Horizontal fusion: the 1×1 convs that read the same tensor (the heads of a Mixed block's
 * branches, the reordered pool branch's bias-free pointwise conv among them) become one wider 1×1
 * conv, `<block>/fused_1x1`, with the members' filters side by side in graph order. Each member's
 * node is replaced by a `Slice` of its channel range under the member's own name, so every
 * consumer and endpoint is untouched and stock TF.js loads the graph on every backend.
 *
 * The channel-range form is the hand-over to custom kernels: a `Slice` whose `begin` is
 * [0, 0, 0, c0] and `size` [-1, -1, -1, n], read by a conv, is a conv that reads channels
 * c0..c0+n of `<block>/fused_1x1`; a kernel that can read a range drops the copy.
 *
 * The filters, biases and epilogue (a per-channel PReLU where ReLU members and the linear
 * pointwise conv mix) come from shared/sibling-convs.ts, which the runtime's load-time fusion
 * for WebGPU uses too.
 */
import type { GraphWeight, InceptionGraph } from '../build-graph.js';
import { attr, type NodeDef } from '../graph-def.js';
import { fusedBias, fusedEpilogue, sideBySideFilters, type SiblingConv } from '../../../shared/sibling-convs.js';
import { dropUnreadConsts, intsAttr, newConst, stringAttr, stringsAttr, weightNamed, type GraphPass } from './graph-edit.js';

interface Member {
  readonly node: NodeDef;
  readonly kernel: GraphWeight;
  readonly bias: GraphWeight | undefined;
  readonly relu: boolean;
  readonly channels: number;
}

/** A 1×1, stride-1, VALID conv that is either conv+bias+ReLU or a plain linear conv. */
function asMember(graph: InceptionGraph, node: NodeDef): Member | undefined {
  const fusedRelu = node.op === '_FusedConv2D' && stringsAttr(node, 'fused_ops').join() === 'BiasAdd,Relu';
  if (!fusedRelu && node.op !== 'Conv2D') return undefined;
  const kernel = weightNamed(graph, node.input?.[1] as string);
  const [kh, kw, , channels] = kernel.shape as [number, number, number, number];
  if (kh !== 1 || kw !== 1 || stringAttr(node, 'padding') !== 'VALID' || intsAttr(node, 'strides').some((s) => s !== 1)) return undefined;
  return { node, kernel, bias: fusedRelu ? weightNamed(graph, node.input?.[2] as string) : undefined, relu: fusedRelu, channels };
}

/** Groups of ≥ 2 fusable 1×1 convs that read one tensor, in graph order. */
function siblingGroups(graph: InceptionGraph): Member[][] {
  const groups = new Map<string, Member[]>();
  for (const node of graph.nodes) {
    const member = asMember(graph, node);
    if (member) groups.set(node.input?.[0] as string, [...(groups.get(node.input?.[0] as string) ?? []), member]);
  }
  return [...groups.values()].filter((g) => g.length >= 2);
}

/** The shared arithmetic's view of a member (values read when the writer reaches the weight). */
const sibling = (m: Member): SiblingConv => ({ filter: m.kernel.values() as Float32Array, bias: m.bias?.values() as Float32Array | undefined, relu: m.relu, channels: m.channels });

type Const = ReturnType<typeof newConst>;

/** One Slice per member, named as the member was, reading its channel range of `fused`. */
function channelSlices(group: readonly Member[], fused: NodeDef): { nodes: NodeDef[]; consts: Const[] } {
  const nodes: NodeDef[] = [];
  const consts: Const[] = [];
  let offset = 0;
  for (const m of group) {
    const start = offset; // the values are read later, when the writer reaches them
    const begin = newConst(`${m.node.name}/begin`, 'int32', [4], false, () => Int32Array.of(0, 0, 0, start));
    const size = newConst(`${m.node.name}/size`, 'int32', [4], false, () => Int32Array.of(-1, -1, -1, m.channels));
    nodes.push({ name: m.node.name, op: 'Slice', input: [fused.name, begin.node.name, size.node.name], attr: { T: fused.attr?.T, Index: attr.type('DT_INT32') } as NodeDef['attr'] });
    consts.push(begin, size);
    offset += m.channels;
  }
  return { nodes, consts };
}

/** The fused conv and its consts, then the slices that stand in for the members. */
function fuse(group: readonly Member[]): { nodes: NodeDef[]; consts: Const[] } {
  const first = group[0] as Member;
  const name = `${first.node.name.slice(0, first.node.name.lastIndexOf('/'))}/fused_1x1`;
  const [, , cin] = first.kernel.shape as [number, number, number, number];
  const total = group.reduce((sum, m) => sum + m.channels, 0);
  const kernel = newConst(`${name}/kernel`, 'float32', [1, 1, cin, total], true, () => sideBySideFilters(group.map(sibling), cin));
  const bias = newConst(`${name}/bias`, 'float32', [total], false, () => fusedBias(group.map(sibling)));
  const { fusedOps, alpha: alphaValues } = fusedEpilogue(group);
  const alpha = alphaValues ? newConst(`${name}/alpha`, 'float32', [total], false, () => alphaValues) : undefined;
  const fused: NodeDef = {
    name,
    op: '_FusedConv2D',
    input: [first.node.input?.[0] as string, kernel.node.name, bias.node.name, ...(alpha ? [alpha.node.name] : [])],
    attr: { ...first.node.attr, fused_ops: attr.strings([...fusedOps]), num_args: attr.int(alpha ? 2 : 1), epsilon: attr.float(0) },
  };
  const slices = channelSlices(group, fused);
  const consts = [kernel, bias, ...(alpha ? [alpha] : []), ...slices.consts];
  return { nodes: [...consts.map((c) => c.node), fused, ...slices.nodes], consts };
}

export const fuseSiblingConvs: GraphPass = (graph) => {
  const groups = siblingGroups(graph);
  if (groups.length === 0) return graph;
  const fusedAt = new Map<string, ReturnType<typeof fuse>>();
  const members = new Set<string>();
  for (const group of groups) {
    fusedAt.set((group[0] as Member).node.name, fuse(group));
    for (const m of group) members.add(m.node.name);
  }
  // The fused conv and its slices take the first member's place; the other members go.
  const nodes = graph.nodes.flatMap((n) => fusedAt.get(n.name)?.nodes ?? (members.has(n.name) ? [] : [n]));
  const weights = graph.weights.flatMap((w) => {
    const firstKernel = groups.find((g) => g[0]?.kernel.name === w.name);
    return firstKernel ? [...(fusedAt.get((firstKernel[0] as Member).node.name)?.consts.map((c) => c.weight) ?? []), w] : [w];
  });
  return dropUnreadConsts({ nodes, weights, outputs: graph.outputs });
};

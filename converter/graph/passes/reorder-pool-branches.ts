/**
 * Pool branches, reordered: Pad(1) → AvgPool 3×3/1 VALID → 1×1 conv + bias + ReLU becomes a
 * bias-free 1×1 Conv2D, then a 3×3 depthwise conv of 1/9s (SAME) with the bias and ReLU fused in.
 *
 * Exact where torchvision's pool counts its zero padding (count_include_pad=True, which the
 * explicit Pad + VALID pool encodes): the average and a bias-free 1×1 conv are both linear and a
 * zero pixel stays zero through the conv, so they commute, and SAME zero padding over 1/9s is that
 * average. The bias must follow the pool (the padded zeros would otherwise average a bias in), and
 * the ReLU follows the bias. One kernel fewer per branch, and the pool sees the conv's 32–192
 * channels instead of 192–2048.
 */
import type { InceptionGraph } from '../build-graph.js';
import { attr, type NodeDef } from '../graph-def.js';
import { consumersOf, dropUnreadConsts, intsAttr, newConst, nodeNamed, stringAttr, weightNamed, type GraphPass } from './graph-edit.js';

const ZERO_PAD_1 = [0, 0, 1, 1, 1, 1, 0, 0];

interface PoolBranch {
  readonly pad: NodeDef;
  readonly pool: NodeDef;
  readonly conv: NodeDef;
}

const isOneByOne = (graph: InceptionGraph, conv: NodeDef) => {
  const [kh, kw] = weightNamed(graph, conv.input?.[1] as string).shape;
  return kh === 1 && kw === 1 && intsAttr(conv, 'strides').every((s) => s === 1);
};

/** `conv`'s pool branch, when it has exactly the shape whose reorder is exact. */
function poolBranchOf(graph: InceptionGraph, conv: NodeDef): PoolBranch | undefined {
  if (conv.op !== '_FusedConv2D' || !isOneByOne(graph, conv)) return undefined;
  const pool = nodeNamed(graph.nodes, conv.input?.[0] as string);
  if (pool?.op !== 'AvgPool' || stringAttr(pool, 'padding') !== 'VALID') return undefined;
  if (intsAttr(pool, 'ksize').join() !== '1,3,3,1' || intsAttr(pool, 'strides').join() !== '1,1,1,1') return undefined;
  const pad = nodeNamed(graph.nodes, pool.input?.[0] as string);
  if (pad?.op !== 'Pad' || consumersOf(graph.nodes, pad.name).length !== 1 || consumersOf(graph.nodes, pool.name).length !== 1) return undefined;
  const paddings = weightNamed(graph, pad.input?.[1] as string).values();
  return Array.from(paddings).join() === ZERO_PAD_1.join() ? { pad, pool, conv } : undefined;
}

const averagingFilterName = (channels: number) => `const/average_3x3_${channels}`;

/** The bias-free pointwise conv and the fused depthwise average that replace one pool branch. */
function reordered({ pad, conv }: PoolBranch, channels: number): NodeDef[] {
  const [, kernel, bias] = conv.input as string[];
  const common = { T: conv.attr?.T, data_format: conv.attr?.data_format, dilations: conv.attr?.dilations } as NodeDef['attr'];
  const pointwise: NodeDef = {
    name: `${conv.name}/pointwise`,
    op: 'Conv2D',
    input: [pad.input?.[0] as string, kernel as string],
    attr: { ...common, strides: attr.ints([1, 1, 1, 1]), padding: attr.string('VALID') },
  };
  const average: NodeDef = {
    name: conv.name,
    op: 'FusedDepthwiseConv2dNative',
    input: [pointwise.name, averagingFilterName(channels), bias as string],
    attr: { ...common, strides: attr.ints([1, 1, 1, 1]), padding: attr.string('SAME'), fused_ops: conv.attr?.fused_ops, num_args: attr.int(1) } as NodeDef['attr'],
  };
  return [pointwise, average];
}

export const reorderPoolBranches: GraphPass = (graph) => {
  const branches = graph.nodes.map((n) => poolBranchOf(graph, n)).filter((b): b is PoolBranch => b !== undefined);
  if (branches.length === 0) return graph;
  const removed = new Set(branches.flatMap((b) => [b.pad.name, b.pool.name]));
  const byConv = new Map(branches.map((b) => [b.conv.name, b]));
  const filters = new Map<number, ReturnType<typeof newConst>>();
  const nodes = graph.nodes.flatMap((n) => {
    const branch = byConv.get(n.name);
    if (!branch) return removed.has(n.name) ? [] : [n];
    const channels = weightNamed(graph, n.input?.[1] as string).shape[3] as number;
    // One [3, 3, C, 1] filter of 1/9s per channel count, shared by the blocks that have it.
    if (!filters.has(channels)) {
      filters.set(channels, newConst(averagingFilterName(channels), 'float32', [3, 3, channels, 1], false, () => new Float32Array(9 * channels).fill(1 / 9)));
    }
    return reordered(branch, channels);
  });
  const added = [...filters.values()];
  return dropUnreadConsts({
    nodes: [...added.map((c) => c.node), ...nodes],
    weights: [...graph.weights, ...added.map((c) => c.weight)],
    outputs: graph.outputs,
  });
};

/**
 * The graph cost counter on a graph small enough to count by hand: x [1, 4, 4, 8] → 1×1 conv a
 * (2 channels) → concat; x → 1×1 conv b (3) → 3×3 conv c (4) → concat; concat (6) → Mean.
 * Element counts per op are in the comments; bytes are 4 per element.
 */
import { describe, expect, it } from 'vitest';
import { fuseSiblingConvs } from '../../converter/graph/passes/fuse-sibling-convs.js';
import { graphCost } from '../../bench/graph/graph-cost.js';
import { MiniGraph } from '../helpers/mini-graph.js';

function tinyGraph() {
  const g = new MiniGraph();
  const x = g.input('x', [-1, 4, 4, 8]);
  const a = g.conv('a', x, 1, 8, 2);
  const c = g.conv('c', g.conv('b', x, 1, 8, 3), 3, 3, 4);
  g.mean('mean', g.concat('concat', [a, c]));
  return g.graph(['mean']);
}

describe('graphCost', () => {
  it('counts ops, dispatches and bytes of the plain graph', () => {
    const cost = graphCost(tinyGraph());
    expect(cost.ops).toEqual({ _FusedConv2D: 3, ConcatV2: 1, Mean: 1 });
    expect(cost.convs).toBe(3);
    // 3 convs, 1 concat, Mean as transpose + reduce.
    expect(cost.dispatches).toBe(6);
    // a 146 + 32, b 155 + 48, c 160 + 64, concat 96 + 96, mean 96 + 6 = 899 elements; the
    // concat is free when a and c write into it.
    expect(cost.bytes).toEqual({ stock: 4 * 899, rangeKernels: 4 * (899 - 192) });
  });

  it('counts the fused form: one wider conv, a slice per member, the slice read by c free of bytes with range kernels', () => {
    const cost = graphCost(fuseSiblingConvs(tinyGraph()));
    expect(cost.ops).toEqual({ _FusedConv2D: 2, Slice: 2, ConcatV2: 1, Mean: 1 });
    expect(cost.dispatches).toBe(7);
    // fused 173 + 80, slice a 32 + 32, slice b 48 + 48, c 224, concat 192, mean 102 = 931.
    expect(cost.bytes).toEqual({ stock: 4 * 931, rangeKernels: 4 * (931 - 96 - 192) });
  });
});

import { describe, expect, it } from 'vitest';
import { reorderPoolBranches } from '../../../../converter/graph/passes/reorder-pool-branches.js';
import { MiniGraph, miniMixedBlock } from '../../../helpers/mini-graph.js';
import { expectSameOutput } from '../../../helpers/pass-parity.js';

const node = (graph: ReturnType<typeof miniMixedBlock>, name: string) => graph.nodes.find((n) => n.name === name);

describe('reorderPoolBranches', () => {
  it('turns pad + average pool + 1×1 conv into a bias-free 1×1 conv and a fused depthwise average', () => {
    const graph = reorderPoolBranches(miniMixedBlock());
    expect(graph.nodes.filter((n) => n.op === 'Pad' || n.op === 'AvgPool')).toEqual([]);
    expect(node(graph, 'block/p/pointwise')).toMatchObject({ op: 'Conv2D', input: ['x', 'block/p/kernel'] });
    // The bias follows the pool: the padded zeros must not average a bias in.
    expect(node(graph, 'block/p')).toMatchObject({ op: 'FusedDepthwiseConv2dNative', input: ['block/p/pointwise', 'const/average_3x3_2', 'block/p/bias'] });
    const filter = graph.weights.find((w) => w.name === 'const/average_3x3_2');
    expect(filter?.shape).toEqual([3, 3, 2, 1]);
    expect(Array.from(filter?.values() ?? [])).toEqual(new Array(18).fill(Math.fround(1 / 9)));
    // Nothing reads the paddings any more: node and weight are gone.
    expect(graph.weights.map((w) => w.name)).not.toContain('block/pool/paddings');
  });

  it('computes what the plain graph computes (count_include_pad), within 1e-5', async () => {
    await expectSameOutput(miniMixedBlock(), reorderPoolBranches(miniMixedBlock()), 'block');
  });

  it('leaves a pool alone when its padding is not 1 on each side (the reorder would not be exact)', () => {
    const g = new MiniGraph();
    g.conv('p', g.avgPool('pool', g.input('x', [-1, 5, 5, 6]), [0, 0, 2, 2, 2, 2, 0, 0]), 1, 6, 2);
    const plain = g.graph(['p']);
    expect(reorderPoolBranches(plain)).toBe(plain);
  });
});

import { describe, expect, it } from 'vitest';
import { fuseSiblingConvs } from '../../../../converter/graph/passes/fuse-sibling-convs.js';
import { reorderPoolBranches } from '../../../../converter/graph/passes/reorder-pool-branches.js';
import type { InceptionGraph } from '../../../../converter/graph/build-graph.js';
import type { NodeDef } from '../../../../converter/graph/graph-def.js';
import { stringsAttr } from '../../../../converter/graph/passes/graph-edit.js';
import { miniMixedBlock } from '../../../helpers/mini-graph.js';
import { expectSameOutput } from '../../../helpers/pass-parity.js';

const node = (graph: InceptionGraph, name: string) => graph.nodes.find((n) => n.name === name);
const values = (graph: InceptionGraph, name: string) => Array.from(graph.weights.find((w) => w.name === name)?.values() ?? []);

describe('fuseSiblingConvs', () => {
  it('fuses the 1×1 heads that read one tensor into one conv, read through Slices named as the heads', () => {
    const graph = fuseSiblingConvs(miniMixedBlock());
    const fused = node(graph, 'block/fused_1x1');
    expect(fused).toMatchObject({ op: '_FusedConv2D', input: ['x', 'block/fused_1x1/kernel', 'block/fused_1x1/bias'] });
    expect(graph.weights.find((w) => w.name === 'block/fused_1x1/kernel')?.shape).toEqual([1, 1, 6, 9]);
    expect(node(graph, 'block/a')).toMatchObject({ op: 'Slice', input: ['block/fused_1x1', 'block/a/begin', 'block/a/size'] });
    expect(values(graph, 'block/a/begin')).toEqual([0, 0, 0, 0]);
    expect(values(graph, 'block/b/begin')).toEqual([0, 0, 0, 4]);
    expect(values(graph, 'block/b/size')).toEqual([-1, -1, -1, 5]);
    // The members' own weights are gone; the pool branch's conv reads another tensor and stays.
    expect(graph.weights.map((w) => w.name)).not.toContain('block/a/kernel');
    expect(node(graph, 'block/p')?.op).toBe('_FusedConv2D');
  });

  it('computes what the plain graph computes, within 1e-5', async () => {
    await expectSameOutput(miniMixedBlock(), fuseSiblingConvs(miniMixedBlock()), 'block');
  });

  describe('after the pool-branch reorder', () => {
    const reordered = () => reorderPoolBranches(miniMixedBlock());

    it('takes the linear pointwise conv in too, with a per-channel PReLU: alpha 0 (ReLU) for the heads, 1 (identity) for it', () => {
      const graph = fuseSiblingConvs(reordered());
      const fused = node(graph, 'block/fused_1x1');
      expect(fused?.input).toEqual(['x', 'block/fused_1x1/kernel', 'block/fused_1x1/bias', 'block/fused_1x1/alpha']);
      expect(stringsAttr(fused as NodeDef, 'fused_ops')).toEqual(['BiasAdd', 'Prelu']);
      expect(values(graph, 'block/fused_1x1/alpha')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
      // The bias-free conv's channels get a zero bias; its bias stays after the pool.
      expect(values(graph, 'block/fused_1x1/bias').slice(9)).toEqual([0, 0]);
      expect(node(graph, 'block/p')?.input?.[0]).toBe('block/p/pointwise');
      expect(node(graph, 'block/p/pointwise')?.op).toBe('Slice');
    });

    it('computes what the plain graph computes, within 1e-5', async () => {
      await expectSameOutput(miniMixedBlock(), fuseSiblingConvs(reordered()), 'block');
    });
  });
});

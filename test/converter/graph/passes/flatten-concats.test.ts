import { describe, expect, it } from 'vitest';
import { flattenConcats } from '../../../../converter/graph/passes/flatten-concats.js';
import { miniMixedBlock } from '../../../helpers/mini-graph.js';
import { expectSameOutput } from '../../../helpers/pass-parity.js';

describe('flattenConcats', () => {
  it('splices a concat that only the outer concat reads into it, in the same channel order', () => {
    const graph = flattenConcats(miniMixedBlock());
    expect(graph.nodes.find((n) => n.name === 'block/pair')).toBeUndefined();
    const block = graph.nodes.find((n) => n.name === 'block');
    expect(block?.input).toEqual(['block/a', 'block/c', 'block/d', 'block/p', 'axis']);
    expect(block?.attr?.N).toEqual({ i: '4' });
  });

  it('computes what the plain graph computes, within 1e-5', async () => {
    await expectSameOutput(miniMixedBlock(), flattenConcats(miniMixedBlock()), 'block');
  });

  it('keeps an inner concat that is itself a graph output', () => {
    const plain = { ...miniMixedBlock(), outputs: ['block', 'block/pair'] };
    expect(flattenConcats(plain)).toBe(plain);
  });
});

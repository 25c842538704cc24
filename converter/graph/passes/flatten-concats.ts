/**
 * A concat read only by another concat along the same axis is spliced into it: Mixed_7b and
 * Mixed_7c concatenate their 1×3/3×1 pairs first and then the block, which copies those channels
 * twice. Exact (the same channels in the same order) and one copy kernel fewer per inner concat.
 */
import type { InceptionGraph } from '../build-graph.js';
import { attr, type NodeDef } from '../graph-def.js';
import { consumersOf, dropUnreadConsts, nodeNamed, withAttr, type GraphPass } from './graph-edit.js';

const axisOf = (concat: NodeDef) => concat.input?.at(-1);
const valuesOf = (concat: NodeDef) => concat.input?.slice(0, -1) ?? [];

/** An inner concat that only `outer` reads, on the same axis const, and that is no output. */
function isSplicable(graph: InceptionGraph, outer: NodeDef, name: string): boolean {
  const inner = nodeNamed(graph.nodes, name);
  if (inner?.op !== 'ConcatV2' || axisOf(inner) !== axisOf(outer) || graph.outputs.includes(name)) return false;
  const readers = consumersOf(graph.nodes, name);
  return readers.length === 1 && readers[0] === outer && valuesOf(outer).filter((v) => v === name).length === 1;
}

export const flattenConcats: GraphPass = (graph) => {
  const spliced = new Set<string>();
  const flatten = (outer: NodeDef, name: string): string[] => {
    if (!isSplicable(graph, outer, name)) return [name];
    spliced.add(name);
    const inner = nodeNamed(graph.nodes, name) as NodeDef;
    return valuesOf(inner).flatMap((v) => flatten(inner, v));
  };
  const nodes = graph.nodes.map((n) => {
    if (n.op !== 'ConcatV2') return n;
    const values = valuesOf(n).flatMap((v) => flatten(n, v));
    return values.length === valuesOf(n).length ? n : withAttr({ ...n, input: [...values, axisOf(n) as string] }, 'N', attr.int(values.length));
  });
  if (spliced.size === 0) return graph;
  return dropUnreadConsts({ nodes: nodes.filter((n) => !spliced.has(n.name)), weights: graph.weights, outputs: graph.outputs });
};

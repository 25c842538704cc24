/**
 * The graph passes by name, run in this fixed order whatever order they are asked in: the pool
 * branches are reordered first so that their pointwise conv can join the fused 1×1 heads.
 */
import type { InceptionGraph } from '../build-graph.js';
import { flattenConcats } from './flatten-concats.js';
import { fuseSiblingConvs } from './fuse-sibling-convs.js';
import type { GraphPass } from './graph-edit.js';
import { reorderPoolBranches } from './reorder-pool-branches.js';

export const GRAPH_PASSES = {
  'reorder-pool-branches': reorderPoolBranches,
  'fuse-sibling-convs': fuseSiblingConvs,
  'flatten-concats': flattenConcats,
} as const satisfies Record<string, GraphPass>;

export type GraphPassName = keyof typeof GRAPH_PASSES;

export const GRAPH_PASS_NAMES = Object.keys(GRAPH_PASSES) as GraphPassName[];

export function applyGraphPasses(graph: InceptionGraph, passes: readonly GraphPassName[]): InceptionGraph {
  return GRAPH_PASS_NAMES.filter((name) => passes.includes(name)).reduce((g, name) => GRAPH_PASSES[name](g), graph);
}

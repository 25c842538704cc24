/**
 * The small vocabulary the graph passes share over an `InceptionGraph` (NodeDefs + lazily
 * computed weights): look-ups by name, consumers, attribute reads, and dropping what no node
 * reads any more. Passes return a new graph and never mutate the one they were given.
 */
import type { GraphWeight, InceptionGraph } from '../build-graph.js';
import { constNode, type AttrValue, type NodeDef } from '../graph-def.js';

export type GraphPass = (graph: InceptionGraph) => InceptionGraph;

/** Every node that reads `name`, in graph order. */
export function consumersOf(nodes: readonly NodeDef[], name: string): NodeDef[] {
  return nodes.filter((n) => n.input?.includes(name));
}

export function nodeNamed(nodes: readonly NodeDef[], name: string): NodeDef | undefined {
  return nodes.find((n) => n.name === name);
}

export function weightNamed(graph: InceptionGraph, name: string): GraphWeight {
  const weight = graph.weights.find((w) => w.name === name);
  if (!weight) throw new Error(`graph pass: no weight named '${name}'`);
  return weight;
}

/** The value of a string attribute (stored base64, as TF.js reads it). */
export function stringAttr(node: NodeDef, key: string): string | undefined {
  const value = node.attr?.[key] as { s?: string } | undefined;
  return value?.s === undefined ? undefined : Buffer.from(value.s, 'base64').toString('utf8');
}

export function stringsAttr(node: NodeDef, key: string): string[] {
  const value = node.attr?.[key] as { list?: { s?: string[] } } | undefined;
  return (value?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function intsAttr(node: NodeDef, key: string): number[] {
  const value = node.attr?.[key] as { list?: { i?: string[] } } | undefined;
  return (value?.list?.i ?? []).map(Number);
}

export function withAttr(node: NodeDef, key: string, value: AttrValue): NodeDef {
  return { ...node, attr: { ...node.attr, [key]: value } };
}

/** Drops Const nodes (and their weights) that nothing reads after a rewrite. */
export function dropUnreadConsts(graph: InceptionGraph): InceptionGraph {
  const read = new Set(graph.nodes.flatMap((n) => n.input ?? []));
  const dead = new Set(graph.nodes.filter((n) => n.op === 'Const' && !read.has(n.name)).map((n) => n.name));
  return {
    nodes: graph.nodes.filter((n) => !dead.has(n.name)),
    weights: graph.weights.filter((w) => !dead.has(w.name)),
    outputs: graph.outputs,
  };
}

/** A Const node with its weight, for passes that make new constants. */
export function newConst(
  name: string,
  dtype: GraphWeight['dtype'],
  shape: readonly number[],
  quantizable: boolean,
  values: () => Float32Array | Int32Array,
): { node: NodeDef; weight: GraphWeight } {
  return { node: constNode(name, dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32', shape), weight: { name, dtype, shape, quantizable, values } };
}

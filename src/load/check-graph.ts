import { CONVERTER_OPS, MODEL_LIMITS } from './model-limits.js';
import { brief, isObject, wrongModel, type JsonObject } from './wrong-model.js';

/**
 * Checks the graph is well formed and holds only ops the converter emits, no function library,
 * a weight for every constant, and every node the metadata names as input or output: TF.js
 * would otherwise fail deep inside with an untyped error (or run an op the converter never writes).
 */
export function checkGraph(topology: JsonObject, metadata: JsonObject, weightNames: ReadonlySet<string>, url: string): void {
  const nodes = topology.node as unknown[];
  if (nodes.length > MODEL_LIMITS.nodes) throw wrongModel(url, `has ${nodes.length} graph nodes, more than any model this SDK writes (${MODEL_LIMITS.nodes})`);
  if (!isObject(topology.versions)) throw wrongModel(url, 'has a modelTopology without versions');
  const library = isObject(topology.library) ? topology.library.function : undefined;
  if (Array.isArray(library) && library.length > 0) throw wrongModel(url, 'defines graph functions, which this SDK never writes');
  const names = new Set<string>();
  for (const node of nodes) names.add(checkNode(node, names, weightNames, url));
  for (const node of nodes as JsonObject[]) checkInputs(node, names, CONVERTER_OPS.get(node.op as string) ?? 0, url);
  const consts = new Set((nodes as JsonObject[]).filter((node) => node.op === 'Const').map((node) => node.name));
  const unused = [...weightNames].find((name) => !consts.has(name));
  if (unused !== undefined) throw wrongModel(url, `has weight ${brief(unused)} in its weightsManifest but no Const node of that name`);
  for (const [role, name] of declaredNodes(metadata)) {
    // TF.js names a node's first output 'name:0'; both spellings mean the node.
    if (typeof name !== 'string' || !names.has(name.replace(/:0$/, ''))) {
      throw wrongModel(url, `declares ${role} ${brief(name)}, but its graph has no such node (a truncated or edited model.json?)`);
    }
  }
}

/** A node's name, op and attributes, checked; returns its name. */
function checkNode(node: unknown, seen: ReadonlySet<string>, weightNames: ReadonlySet<string>, url: string): string {
  if (!isObject(node) || typeof node.name !== 'string' || node.name === '' || typeof node.op !== 'string') {
    throw wrongModel(url, `has a graph node without a name and an op: ${brief(node)}`);
  }
  const name = brief(node.name);
  if (seen.has(node.name)) throw wrongModel(url, `has two graph nodes named ${name}`);
  if (!CONVERTER_OPS.has(node.op)) throw wrongModel(url, `uses op ${brief(node.op)} (node ${name}), which is not one this SDK writes`);
  if (node.attr !== undefined && !isObject(node.attr)) throw wrongModel(url, `gives node ${name} attributes ${brief(node.attr)}, not an object`);
  if (node.op === 'Const' && !weightNames.has(node.name)) throw wrongModel(url, `has Const node ${name} with no weight of that name in its weightsManifest`);
  if (node.op === 'Placeholder') checkPlaceholderShape(node, name, url);
  return node.name;
}

/** At least the inputs its op needs, each naming a node of the graph ('name', 'name:1', or '^name' for a control input). */
function checkInputs(node: JsonObject, names: ReadonlySet<string>, needed: number, url: string): void {
  const inputs = node.input ?? [];
  const known = (input: unknown) => typeof input === 'string' && names.has(input.replace(/^\^/, '').replace(/:\d+$/, ''));
  if (!Array.isArray(inputs) || !inputs.every(known)) {
    throw wrongModel(url, `gives node ${brief(node.name)} the inputs ${brief(inputs)}, which are not all nodes of its graph`);
  }
  if (inputs.length < needed) throw wrongModel(url, `gives ${String(node.op)} node ${brief(node.name)} ${inputs.length} inputs; it needs ${needed}`);
}

/** The input's declared shape, which TF.js checks every call against: dimensions of -1 (any) or a positive size. */
function checkPlaceholderShape(node: JsonObject, name: string, url: string): void {
  const attr = isObject(node.attr) ? node.attr : {};
  const shape = isObject(attr.shape) && isObject(attr.shape.shape) ? attr.shape.shape : undefined;
  const dims = shape?.dim ?? [];
  // Protobuf JSON writes int64 sizes as decimal strings; TF.js parses them with parseInt.
  const size = (dim: unknown) => (isObject(dim) && /^-?\d+$/.test(String(dim.size)) ? Number(dim.size) : Number.NaN);
  const valid = (dim: unknown) => Number.isSafeInteger(size(dim)) && size(dim) >= -1 && size(dim) !== 0 && size(dim) <= MODEL_LIMITS.vectorLength;
  if (!shape || !Array.isArray(dims) || dims.length > 8 || !dims.every(valid)) {
    throw wrongModel(url, `gives input node ${name} the shape ${brief(attr.shape)}; expected dimensions of -1 or a positive size`);
  }
}

function declaredNodes(metadata: JsonObject): Array<[string, unknown]> {
  const input = isObject(metadata.input) ? metadata.input : {};
  const outputs = isObject(metadata.outputs) ? metadata.outputs : {};
  const features = isObject(outputs.features) ? Object.keys(outputs.features) : [];
  return [
    ['input', input.name],
    // An embedding-only model (a checkpoint without fc) has no logits output.
    ...(metadata.numClasses === 0 && outputs.logits === undefined ? [] : [['output logits', outputs.logits] as [string, unknown]]),
    ['output embedding', outputs.embedding],
    ...features.map((name): [string, unknown] => ['feature map', name]),
  ];
}

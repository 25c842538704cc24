import { CONVERTER_OPS, MODEL_LIMITS } from './model-limits.js';
import { brief, isObject, wrongModel, type JsonObject } from './wrong-model.js';

/**
 * Checks the graph holds only ops the converter emits, no function library, and every node the
 * metadata names as input or output: TF.js would otherwise fail deep inside (or run an op the
 * converter never writes).
 */
export function checkGraph(topology: JsonObject, metadata: JsonObject, url: string): void {
  const nodes = topology.node as unknown[];
  if (nodes.length > MODEL_LIMITS.nodes) throw wrongModel(url, `has ${nodes.length} graph nodes, more than any model this SDK writes (${MODEL_LIMITS.nodes})`);
  const library = isObject(topology.library) ? topology.library.function : undefined;
  if (Array.isArray(library) && library.length > 0) throw wrongModel(url, 'defines graph functions, which this SDK never writes');
  const names = new Set<string>();
  for (const node of nodes) {
    if (!isObject(node) || typeof node.name !== 'string' || typeof node.op !== 'string') {
      throw wrongModel(url, `has a graph node without a name and an op: ${brief(node)}`);
    }
    if (!CONVERTER_OPS.has(node.op)) throw wrongModel(url, `uses op ${brief(node.op)} (node ${brief(node.name)}), which is not one this SDK writes`);
    names.add(node.name);
  }
  for (const [role, name] of declaredNodes(metadata)) {
    // TF.js names a node's first output 'name:0'; both spellings mean the node.
    if (typeof name !== 'string' || !names.has(name.replace(/:0$/, ''))) {
      throw wrongModel(url, `declares ${role} ${brief(name)}, but its graph has no such node (a truncated or edited model.json?)`);
    }
  }
}

function declaredNodes(metadata: JsonObject): Array<[string, unknown]> {
  const input = isObject(metadata.input) ? metadata.input : {};
  const outputs = isObject(metadata.outputs) ? metadata.outputs : {};
  const features = isObject(outputs.features) ? Object.keys(outputs.features) : [];
  return [
    ['input', input.name],
    ['output logits', outputs.logits],
    ['output embedding', outputs.embedding],
    ...features.map((name): [string, unknown] => ['feature map', name]),
  ];
}

import type { NodeDef } from '../../graph/graph-def.js';
import type { GraphWeight } from '../../graph/build-graph.js';
import { serializeFlatBuffer } from './flatbuffer-builder.js';
import { TranslationContext, translateNode } from './op-translation.js';
import { buffer, metadata as metadataTable, model, signatureDef, subGraph, TFLITE_IDENTIFIER } from './tflite-schema.js';
import { TfliteSubgraph } from './tflite-subgraph.js';

/** The signature LiteRT.js and TFLite's interpreter run by default. */
const TFLITE_SIGNATURE = 'serving_default';

/** A TF graph (the graph builder's nodes and weights) and what to expose of it. */
export interface TfliteSource {
  readonly nodes: readonly NodeDef[];
  readonly weights: readonly GraphWeight[];
  /** Placeholder node names, in order. */
  readonly inputs: readonly string[];
  /** Node names whose tensors the model returns, in order. */
  readonly outputs: readonly string[];
  readonly description: string;
  /** Named metadata entries (TFLite's Model.metadata), stored as UTF-8 buffers. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Called after each node with (nodes done, nodes). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Translates the graph node by node and serializes it as one TFLite FlatBuffer, with one signature. */
export function encodeTflite(source: TfliteSource): Uint8Array {
  const subgraph = new TfliteSubgraph();
  const ctx = new TranslationContext(subgraph, source.weights);
  source.nodes.forEach((node, i) => {
    translateNode(node, ctx);
    source.onProgress?.(i + 1, source.nodes.length);
  });
  const indices = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, ctx.tensor(name).index]));
  const inputs = indices(source.inputs);
  const outputs = indices(source.outputs);
  const metadata = Object.entries(source.metadata ?? {}).map(([name, text]) => {
    subgraph.buffers.push(buffer(new TextEncoder().encode(text)));
    return metadataTable(name, subgraph.buffers.length - 1);
  });
  const root = model({
    operatorCodes: subgraph.operatorCodes,
    subgraph: subGraph(subgraph.tensors, Object.values(inputs), Object.values(outputs), subgraph.operators, 'main'),
    description: source.description,
    buffers: subgraph.buffers,
    metadata,
    signatures: [signatureDef(TFLITE_SIGNATURE, inputs, outputs)],
  });
  return serializeFlatBuffer(root, TFLITE_IDENTIFIER, subgraph.weightBytes + (1 << 20));
}

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METADATA_KEY, type InceptionModelMetadata } from '../../../shared/model-metadata.js';
import { GRAPH_NAMES, type InceptionGraph } from '../../graph/build-graph.js';
import type { MetadataWithoutWeights } from '../write-model.js';
import { serializeFlatBuffer } from './flatbuffer-builder.js';
import { TranslationContext, translateNode } from './op-translation.js';
import { buffer, metadata as metadataTable, model, signatureDef, subGraph, TFLITE_IDENTIFIER } from './tflite-schema.js';
import { TfliteSubgraph } from './tflite-subgraph.js';

/** The one file the TFLite format writes. */
export const TFLITE_FILE = 'model.tflite';

/** The signature LiteRT.js and TFLite's interpreter run by default. */
export const TFLITE_SIGNATURE = 'serving_default';

/**
 * Writes `graph` as one fp32 TFLite FlatBuffer, batch 1, into `dir` (which must exist): input
 * `pixels` [1, 299, 299, 3] in [0, 255], outputs `logits` (when the model has a head) and
 * `embedding`. The metadata (labels, normalisation, source) rides along as the file's
 * `inceptionWebgpu` metadata entry, as JSON. Returns the metadata, with the file as its one shard.
 */
export function writeTfliteModel(
  graph: InceptionGraph,
  metadata: MetadataWithoutWeights,
  dir: string,
  onProgress?: (done: number, total: number) => void,
): InceptionModelMetadata {
  const subgraph = new TfliteSubgraph();
  const ctx = new TranslationContext(subgraph, graph.weights);
  graph.nodes.forEach((node, i) => {
    translateNode(node, ctx);
    onProgress?.(i + 1, graph.nodes.length);
  });
  const pixels = ctx.tensor(GRAPH_NAMES.input).index;
  const outputNames = metadata.numClasses > 0 ? [GRAPH_NAMES.logits, GRAPH_NAMES.embedding] : [GRAPH_NAMES.embedding];
  const outputs = Object.fromEntries(outputNames.map((name) => [name, ctx.tensor(name).index]));
  subgraph.buffers.push(buffer(new TextEncoder().encode(JSON.stringify(metadata))));
  const root = model({
    operatorCodes: subgraph.operatorCodes,
    subgraph: subGraph(subgraph.tensors, [pixels], Object.values(outputs), subgraph.operators, 'main'),
    description: `inception-webgpu ${metadata.converterVersion}: ${metadata.architecture} from PyTorch weights`,
    buffers: subgraph.buffers,
    metadata: [metadataTable(METADATA_KEY, subgraph.buffers.length - 1)],
    signatures: [signatureDef(TFLITE_SIGNATURE, { [GRAPH_NAMES.input]: pixels }, outputs)],
  });
  const bytes = serializeFlatBuffer(root, TFLITE_IDENTIFIER, subgraph.weightBytes + (1 << 20));
  writeFileSync(join(dir, TFLITE_FILE), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ...metadata, weights: { dtype: 'float32', totalBytes: bytes.length, sha256, shards: [{ path: TFLITE_FILE, bytes: bytes.length, sha256 }] } };
}

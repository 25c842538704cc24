import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METADATA_KEY, type InceptionModelMetadata } from '../../../shared/model-metadata.js';
import { GRAPH_NAMES, type InceptionGraph } from '../../graph/build-graph.js';
import type { MetadataWithoutWeights } from '../write-model.js';
import { encodeTflite } from './encode-tflite.js';

/** The one file the TFLite format writes. */
const TFLITE_FILE = 'model.tflite';

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
  const bytes = encodeTflite({
    nodes: graph.nodes,
    weights: graph.weights,
    inputs: [GRAPH_NAMES.input],
    outputs: metadata.numClasses > 0 ? [GRAPH_NAMES.logits, GRAPH_NAMES.embedding] : [GRAPH_NAMES.embedding],
    description: `inception-webgpu ${metadata.converterVersion}: ${metadata.architecture} from PyTorch weights`,
    metadata: { [METADATA_KEY]: JSON.stringify(metadata) },
    ...(onProgress && { onProgress }),
  });
  writeFileSync(join(dir, TFLITE_FILE), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ...metadata, weights: { dtype: 'float32', totalBytes: bytes.length, sha256, shards: [{ path: TFLITE_FILE, bytes: bytes.length, sha256 }] } };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { METADATA_KEY } from '../../shared/model-metadata.js';
import { GRAPH_NAMES, type InceptionGraph } from '../graph/build-graph.js';
import { EMBEDDING_SIZE, INPUT_SIZE } from '../model/inception-v3-spec.js';
import { encodedElementBytes, encodeWeight, type WeightDType } from '../transform/quantize.js';
import { ShardWriter } from './shard-writer.js';

export interface WriteModelOptions {
  readonly dtype: WeightDType;
  readonly shardBytes: number;
  /** Called after each weight with (bytes written, total bytes). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Everything in the metadata except the weights section, which the writer fills in. */
export type MetadataWithoutWeights = Omit<InceptionModelMetadata, 'weights'>;

interface ManifestEntry {
  name: string;
  shape: readonly number[];
  dtype: 'float32' | 'int32';
  quantization?: ReturnType<typeof encodeWeight>['quantization'];
}

const tensorInfo = (name: string, shape: number[]) => ({
  name: `${name}:0`,
  dtype: 'DT_FLOAT',
  tensorShape: { dim: shape.map((size) => ({ size: String(size) })) },
});

/** model.json's content: a TF.js graph model with the metadata under userDefinedMetadata. */
export interface ModelJson {
  readonly modelTopology: { readonly node: InceptionGraph['nodes']; readonly [field: string]: unknown };
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly ManifestEntry[] }[];
  readonly userDefinedMetadata: { readonly [METADATA_KEY]: InceptionModelMetadata };
  readonly [field: string]: unknown;
}

/**
 * Writes the weight shards into `dir` (which must exist) and returns model.json's content, for
 * writeModelJson once the metadata is complete.
 */
export function writeGraphModel(
  graph: InceptionGraph,
  metadata: MetadataWithoutWeights,
  dir: string,
  options: WriteModelOptions,
): ModelJson {
  const size = (w: InceptionGraph['weights'][number]) =>
    w.shape.reduce((a, b) => a * b, 1) * encodedElementBytes(w.dtype, options.dtype, w.quantizable);
  const totalBytes = graph.weights.reduce((sum, w) => sum + size(w), 0);
  const shards = new ShardWriter(dir, options.shardBytes, totalBytes);
  const manifest: ManifestEntry[] = [];
  options.onProgress?.(0, totalBytes);
  for (const weight of graph.weights) {
    const encoded = encodeWeight(weight.values(), weight.quantizable ? options.dtype : 'float32');
    shards.write(encoded.bytes);
    manifest.push({ name: weight.name, shape: weight.shape, dtype: weight.dtype, ...(encoded.quantization && { quantization: encoded.quantization }) });
    options.onProgress?.(shards.bytesWritten, totalBytes);
  }
  const sha256 = shards.finish();
  const fullMetadata: InceptionModelMetadata = {
    ...metadata,
    weights: { dtype: options.dtype, totalBytes, sha256, shards: shards.shards },
  };
  // The signature's output is the head, or the embedding of a model without one.
  const [output, width] = metadata.numClasses > 0 ? [GRAPH_NAMES.logits, metadata.numClasses] : [GRAPH_NAMES.embedding, EMBEDDING_SIZE];
  return {
    format: 'graph-model',
    generatedBy: 'PyTorch (torchvision inception_v3)',
    convertedBy: `inception-webgpu ${metadata.converterVersion}`,
    signature: {
      inputs: { [GRAPH_NAMES.input]: tensorInfo(GRAPH_NAMES.input, [-1, INPUT_SIZE, INPUT_SIZE, 3]) },
      outputs: { [output]: tensorInfo(output, [-1, width]) },
    },
    modelTopology: { node: graph.nodes, library: {}, versions: { producer: 1 } },
    weightsManifest: [{ paths: shards.shards.map((s) => s.path), weights: manifest }],
    userDefinedMetadata: { [METADATA_KEY]: fullMetadata },
  };
}

/** Writes model.json with `metadata` (the written one, completed) and returns that metadata. */
export function writeModelJson(dir: string, modelJson: ModelJson, metadata: InceptionModelMetadata): InceptionModelMetadata {
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...modelJson, userDefinedMetadata: { [METADATA_KEY]: metadata } }));
  return metadata;
}

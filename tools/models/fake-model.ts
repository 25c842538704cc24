import { createHash } from 'node:crypto';
import { attr, constNode } from '../../converter/graph/graph-def.js';
import { METADATA_KEY, MODEL_FORMAT_VERSION, type InceptionModelMetadata, type ShardRecord } from '../../shared/model-metadata.js';

/**
 * A tiny converted-looking model: y = x + w with w (140 000 floats) split over three shards of
 * 200 000, 200 000 and 160 000 bytes. Fast to serve, and running it returns w, which proves the
 * shards were reassembled in order.
 */
export const WEIGHT_COUNT = 140_000;
const SHARD_BYTES = 200_000;

export const weights = Float32Array.from({ length: WEIGHT_COUNT }, (_, i) => Math.sin(i) * 10);

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function splitShards(bytes: Buffer): { records: ShardRecord[]; files: Map<string, Buffer> } {
  const count = Math.ceil(bytes.length / SHARD_BYTES);
  const records: ShardRecord[] = [];
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const data = bytes.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES);
    const path = `group1-shard${i + 1}of${count}.bin`;
    records.push({ path, bytes: data.length, sha256: sha256(data) });
    files.set(path, Buffer.from(data));
  }
  return { records, files };
}

function metadataFor(shards: ShardRecord[], allBytes: Buffer): InceptionModelMetadata {
  return {
    format: 'inception-webgpu',
    formatVersion: MODEL_FORMAT_VERSION,
    architecture: 'inception_v3',
    converterVersion: 'test',
    input: { name: 'x', layout: 'NHWC', height: 1, width: 1, channels: 3, valueRange: [0, 255] },
    outputs: { logits: 'y', embedding: 'y', features: {} },
    preprocessing: { resizeShorterSide: 1, cropSize: 1, interpolation: 'bilinear', antialias: true, scaling: 'x/127.5-1', scalingInGraph: true },
    numClasses: 2,
    embeddingSize: WEIGHT_COUNT,
    labels: ['a', 'b'],
    source: { fileName: 'fake', sha256: 'fake', bytes: 0, format: 'test' },
    weights: { dtype: 'float32', totalBytes: allBytes.length, sha256: sha256(allBytes), shards },
  };
}

export interface FakeModel {
  /** model.json as an object, to derive broken variants from. */
  readonly modelJson: Record<string, unknown> & { userDefinedMetadata: Record<string, unknown> };
  readonly metadata: InceptionModelMetadata;
  /** Shard file name → bytes. */
  readonly shards: Map<string, Buffer>;
  readonly totalBytes: number;
}

/** `values` defaults to `weights`; pass others to get a different model with the same layout. */
export function fakeModel(values: Float32Array = weights): FakeModel {
  const allBytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const { records, files } = splitShards(allBytes);
  const metadata = metadataFor(records, allBytes);
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'test',
    convertedBy: 'test',
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: attr.type('DT_FLOAT'), shape: attr.shape([WEIGHT_COUNT]) } },
        constNode('w', 'DT_FLOAT', [WEIGHT_COUNT]),
        { name: 'y', op: 'AddV2', input: ['x', 'w'], attr: { T: attr.type('DT_FLOAT') } },
      ],
      library: {},
      versions: { producer: 1 },
    },
    weightsManifest: [{ paths: records.map((r) => r.path), weights: [{ name: 'w', shape: [WEIGHT_COUNT], dtype: 'float32' }] }],
    userDefinedMetadata: { [METADATA_KEY]: metadata } as Record<string, unknown>,
  };
  return { modelJson, metadata, shards: files, totalBytes: allBytes.length };
}

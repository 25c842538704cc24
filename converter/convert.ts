import { MODEL_FORMAT_VERSION, type InceptionModelMetadata } from '../shared/model-metadata.js';
import { ConverterError } from './errors.js';
import { buildInceptionGraph, GRAPH_NAMES, type WeightProvider } from './build-graph.js';
import type { Checkpoint, TensorRecord } from './checkpoint-types.js';
import { foldBatchNorm, transposeMatrix } from './fold-batch-norm.js';
import { IMAGENET_CLASSES } from './imagenet-classes.js';
import { EMBEDDING_SIZE, FEATURE_ENDPOINTS, INPUT_SIZE, NUM_CLASSES } from './inception-v3-spec.js';
import type { WeightDType } from './quantize.js';
import { withAtomicDirectory } from './output-directory.js';
import { readFinite, validateStateDict } from './validate-state-dict.js';
import { CONVERTER_VERSION } from './version.js';
import { writeGraphModel, type MetadataWithoutWeights } from './write-model.js';

export interface ConvertOptions {
  /** Directory to write model.json and the shards into. */
  readonly outDir: string;
  /** @default 'float32' */
  readonly dtype?: WeightDType;
  /** Shard size in MiB. @default 4 */
  readonly shardMiB?: number;
  /** Replace a non-empty `outDir`. @default false */
  readonly force?: boolean;
  /** Progress of the long steps: hashing the source, then writing weights. */
  readonly onProgress?: (stage: 'hash' | 'write', done: number, total: number) => void;
}

export const CONVERT_DEFAULTS = { dtype: 'float32', shardMiB: 4, force: false } as const;

/** Where the weights came from, recorded in the model's metadata. */
export interface SourceInfo {
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly format: string;
}

export interface ConvertResult {
  readonly outDir: string;
  readonly metadata: InceptionModelMetadata;
}

const DTYPES: readonly WeightDType[] = ['float32', 'float16', 'uint8'];

function checkOptions(options: ConvertOptions): Required<Omit<ConvertOptions, 'onProgress'>> {
  const resolved = { ...CONVERT_DEFAULTS, ...options };
  if (!DTYPES.includes(resolved.dtype)) {
    throw new ConverterError('E_BAD_ARGUMENT', `dtype '${resolved.dtype}' is not supported; use one of ${DTYPES.join(', ')}`);
  }
  if (!(resolved.shardMiB > 0) || !Number.isFinite(resolved.shardMiB)) {
    throw new ConverterError('E_BAD_ARGUMENT', `shard size must be a positive number of MiB, got ${resolved.shardMiB}`);
  }
  return resolved;
}

/** Reads tensors on demand, checking each for NaN/Inf, and folds each conv's BatchNorm. */
function weightProvider(tensors: ReadonlyMap<string, TensorRecord>): WeightProvider {
  const read = (key: string) => readFinite(tensors.get(key) as TensorRecord);
  return {
    conv: (spec) =>
      foldBatchNorm(spec, read(`${spec.name}.conv.weight`), {
        gamma: read(`${spec.name}.bn.weight`),
        beta: read(`${spec.name}.bn.bias`),
        mean: read(`${spec.name}.bn.running_mean`),
        variance: read(`${spec.name}.bn.running_var`),
      }),
    fc: () => ({ kernel: transposeMatrix(read('fc.weight'), NUM_CLASSES, EMBEDDING_SIZE), bias: read('fc.bias') }),
  };
}

function baseMetadata(source: SourceInfo): MetadataWithoutWeights {
  return {
    format: 'inception-webgpu',
    formatVersion: MODEL_FORMAT_VERSION,
    architecture: 'inception_v3',
    converterVersion: CONVERTER_VERSION,
    input: { name: GRAPH_NAMES.input, layout: 'NHWC', height: INPUT_SIZE, width: INPUT_SIZE, channels: 3, valueRange: [0, 255] },
    outputs: { logits: GRAPH_NAMES.logits, embedding: GRAPH_NAMES.embedding, features: FEATURE_ENDPOINTS },
    preprocessing: { resizeShorterSide: 342, cropSize: INPUT_SIZE, interpolation: 'bilinear', antialias: true, scaling: 'x/127.5-1', scalingInGraph: true },
    numClasses: NUM_CLASSES,
    embeddingSize: EMBEDDING_SIZE,
    labels: IMAGENET_CLASSES,
    source,
  };
}

/** Converts an opened checkpoint (from a file, or built in memory) into a TF.js graph model. */
export async function convertCheckpoint(checkpoint: Checkpoint, source: SourceInfo, options: ConvertOptions): Promise<ConvertResult> {
  const resolved = checkOptions(options);
  const tensors = validateStateDict(checkpoint.tensors);
  const graph = buildInceptionGraph(weightProvider(tensors));
  const metadata = await withAtomicDirectory(resolved.outDir, resolved.force, async (dir) =>
    writeGraphModel(graph, baseMetadata(source), dir, {
      dtype: resolved.dtype,
      shardBytes: Math.round(resolved.shardMiB * 1024 * 1024),
      onProgress: (done, total) => options.onProgress?.('write', done, total),
    }),
  );
  return { outDir: resolved.outDir, metadata };
}

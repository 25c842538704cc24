import { MODEL_FORMAT_VERSION, type InceptionModelMetadata, type ModelNormalization } from '../shared/model-metadata.js';
import { withDefaults } from '../shared/with-defaults.js';
import { ConverterError } from './errors.js';
import type { Checkpoint, CheckpointInfo, TensorRecord } from './read/checkpoint-types.js';
import { EMBEDDING_SIZE, FEATURE_ENDPOINTS, INPUT_SIZE } from './model/inception-v3-spec.js';
import { resolveLabels, type LabelsOption } from './model/labels.js';
import { resolveNormalization, type NormalizationOptions } from './model/normalization.js';
import { headClassCount, readFinite, validateStateDict } from './model/validate-state-dict.js';
import { foldBatchNorm, transposeMatrix } from './transform/fold-batch-norm.js';
import type { WeightDType } from './transform/quantize.js';
import { buildInceptionGraph, GRAPH_NAMES, type WeightProvider } from './graph/build-graph.js';
import { applyGraphPasses, GRAPH_PASS_NAMES, type GraphPassName } from './graph/passes/graph-passes.js';
import { withAtomicDirectory } from './write/output-directory.js';
import { PACKAGE_VERSION } from '../shared/package-version.js';
import { writeGraphModel, writeModelJson, type MetadataWithoutWeights } from './write/write-model.js';
import { writeTfliteModel } from './write/tflite/write-tflite.js';
import { goldenOutputs } from './verify/golden-outputs.js';

/** 'tfjs': model.json + weight shards for TF.js; 'tflite': one model.tflite for LiteRT / TFLite. */
export type ModelFormat = 'tfjs' | 'tflite';

export interface ConvertOptions extends NormalizationOptions {
  /** Directory to write model.json and the shards (or model.tflite) into. */
  readonly outDir: string;
  /**
   * 'tflite' writes one fp32 `model.tflite` (batch 1, NHWC) for LiteRT.js / TFLite instead of a
   * TF.js graph model; it takes only `dtype: 'float32'`. @default 'tfjs'
   */
  readonly format?: ModelFormat;
  /** @default 'float32' */
  readonly dtype?: WeightDType;
  /** Shard size in MiB. @default 4 */
  readonly shardMiB?: number;
  /** Replace a non-empty `outDir`. @default false */
  readonly force?: boolean;
  /**
   * Class names, for a head of any size: a list in index order, a class_to_idx map, a path to
   * a text or JSON file of either, or 'none' (`class 0` …). Default: the checkpoint's own
   * `class_to_idx` / `classes` / `idx_to_class`, else ImageNet's for 1000 classes, else an error.
   */
  readonly labels?: LabelsOption;
  /**
   * Run the written model once on the self-check's probe image and store its outputs in the
   * metadata, so the runtime can check each backend's answers on the user's device. @default true
   */
  readonly selfCheck?: boolean;
  /**
   * Graph rewrites to apply (see converter/graph/passes/): `reorder-pool-branches`,
   * `flatten-concats`, `fuse-sibling-convs`. All are exact. The default leaves out
   * `fuse-sibling-convs`, which only pays where kernels read channel ranges (docs/benchmarks.md).
   * @default ['reorder-pool-branches', 'flatten-concats']
   */
  readonly graphPasses?: readonly GraphPassName[];
  /** Progress of the long steps: hashing the source, then writing weights. */
  readonly onProgress?: (stage: 'hash' | 'write', done: number, total: number) => void;
}

export const CONVERT_DEFAULTS = {
  format: 'tfjs' as ModelFormat,
  dtype: 'float32',
  shardMiB: 4,
  force: false,
  selfCheck: true,
  graphPasses: ['reorder-pool-branches', 'flatten-concats'] as readonly GraphPassName[],
} as const;

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
  /** What the converter decided from the checkpoint itself (wrapper, labels, normalisation), to show the user. */
  readonly notes: readonly string[];
}

const DTYPES: readonly WeightDType[] = ['float32', 'float16', 'uint8'];
const FORMATS: readonly ModelFormat[] = ['tfjs', 'tflite'];

function checkOptions(options: ConvertOptions) {
  const resolved = withDefaults(CONVERT_DEFAULTS, options);
  if (!FORMATS.includes(resolved.format)) {
    throw new ConverterError('E_BAD_ARGUMENT', `format '${String(resolved.format)}' is not supported; use one of ${FORMATS.join(', ')}`);
  }
  if (!DTYPES.includes(resolved.dtype)) {
    throw new ConverterError('E_BAD_ARGUMENT', `dtype '${resolved.dtype}' is not supported; use one of ${DTYPES.join(', ')}`);
  }
  if (resolved.format === 'tflite' && resolved.dtype !== 'float32') {
    throw new ConverterError('E_BAD_ARGUMENT', `format 'tflite' writes float32 weights only, got dtype '${resolved.dtype}'; leave dtype out or use --format tfjs`);
  }
  if (!(resolved.shardMiB > 0) || !Number.isFinite(resolved.shardMiB)) {
    throw new ConverterError('E_BAD_ARGUMENT', `shard size must be a positive number of MiB, got ${resolved.shardMiB}`);
  }
  const unknown = resolved.graphPasses.filter((name) => !GRAPH_PASS_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new ConverterError('E_BAD_ARGUMENT', `unknown graph pass '${unknown.join("', '")}'; use any of ${GRAPH_PASS_NAMES.join(', ')}`);
  }
  // The TFLite writer translates the default graph's ops (the reordered pool branches, no slices).
  const tflitePasses = resolved.graphPasses.includes('reorder-pool-branches') && !resolved.graphPasses.includes('fuse-sibling-convs');
  if (resolved.format === 'tflite' && !tflitePasses) {
    throw new ConverterError('E_BAD_ARGUMENT', `format 'tflite' needs the graph passes to include reorder-pool-branches and leave out fuse-sibling-convs, got [${resolved.graphPasses.join(', ')}]; leave --graph-passes out`);
  }
  return resolved;
}

/** Reads tensors on demand, checking each for NaN/Inf, and folds each conv's BatchNorm. */
function weightProvider(tensors: ReadonlyMap<string, TensorRecord>, numClasses: number): WeightProvider {
  const read = (key: string) => readFinite(tensors.get(key) as TensorRecord);
  return {
    conv: (spec) =>
      foldBatchNorm(spec, read(`${spec.name}.conv.weight`), {
        gamma: read(`${spec.name}.bn.weight`),
        beta: read(`${spec.name}.bn.bias`),
        mean: read(`${spec.name}.bn.running_mean`),
        variance: read(`${spec.name}.bn.running_var`),
      }),
    fc: () => ({ kernel: transposeMatrix(read('fc.weight'), numClasses, EMBEDDING_SIZE), bias: read('fc.bias') }),
  };
}

/** The model's head, labels and input normalisation: what a fine-tuned checkpoint changes. */
interface ModelHead {
  readonly numClasses: number;
  readonly labels: string[];
  readonly normalization: ModelNormalization;
}

function baseMetadata(source: SourceInfo, { numClasses, labels, normalization }: ModelHead): MetadataWithoutWeights {
  const { logits, embedding } = GRAPH_NAMES;
  const scaling = normalization.name === 'inception' ? 'x/127.5-1' : '(x/255-mean)/std';
  return {
    format: 'inception-webgpu',
    formatVersion: MODEL_FORMAT_VERSION,
    architecture: 'inception_v3',
    converterVersion: PACKAGE_VERSION,
    input: { name: GRAPH_NAMES.input, layout: 'NHWC', height: INPUT_SIZE, width: INPUT_SIZE, channels: 3, valueRange: [0, 255] },
    outputs: { ...(numClasses > 0 && { logits }), embedding, features: FEATURE_ENDPOINTS },
    preprocessing: { resizeShorterSide: 342, cropSize: INPUT_SIZE, interpolation: 'bilinear', antialias: true, scaling, scalingInGraph: true, normalization },
    numClasses,
    embeddingSize: EMBEDDING_SIZE,
    labels,
    source,
  };
}

/** The user-visible account of what was taken from the checkpoint rather than from the options. */
function notesOf(info: CheckpointInfo | undefined, options: ConvertOptions, head: ModelHead, passes: readonly GraphPassName[]): string[] {
  const notes: string[] = [];
  if (!passes.includes('reorder-pool-branches')) notes.push("without reorder-pool-branches the graph pads and average-pools, which stock TF.js runs but this SDK's loader refuses (E_WRONG_MODEL)");
  if (info?.weightsFrom !== undefined) notes.push(`weights from ${info.weightsFrom}`);
  if (head.numClasses === 0) notes.push('no fc layer: an embedding-only model (embed, features and custom tags work; classify does not)');
  if (options.labels === undefined && info?.labels !== undefined && head.numClasses > 0) notes.push(`${head.numClasses} labels from the checkpoint's '${info.labels.key}'`);
  const explicit = options.normalization !== undefined || options.mean !== undefined;
  if (!explicit && info?.transformInput !== undefined) notes.push(`normalization '${head.normalization.name}' from the checkpoint's transform_input=${info.transformInput ? 'True' : 'False'}`);
  return notes;
}

/** Converts an opened checkpoint (from a file, or built in memory) into a TF.js graph model or a TFLite file. */
export async function convertCheckpoint(checkpoint: Checkpoint, source: SourceInfo, options: ConvertOptions): Promise<ConvertResult> {
  const resolved = checkOptions(options);
  const numClasses = headClassCount(checkpoint.tensors);
  const tensors = validateStateDict(checkpoint.tensors, numClasses);
  const head: ModelHead = {
    numClasses,
    labels: resolveLabels(options.labels, checkpoint.info, numClasses),
    normalization: resolveNormalization(options, checkpoint.info),
  };
  const graph = applyGraphPasses(buildInceptionGraph(weightProvider(tensors, numClasses), head), resolved.graphPasses);
  const onProgress = (done: number, total: number) => options.onProgress?.('write', done, total);
  const metadata = await withAtomicDirectory(resolved.outDir, resolved.force, async (dir) => {
    if (resolved.format === 'tflite') return writeTfliteModel(graph, baseMetadata(source, head), dir, onProgress);
    const modelJson = writeGraphModel(graph, baseMetadata(source, head), dir, { dtype: resolved.dtype, shardBytes: Math.round(resolved.shardMiB * 1024 * 1024), onProgress });
    const written = modelJson.userDefinedMetadata.inceptionWebgpu;
    const selfCheck = resolved.selfCheck ? await goldenOutputs(dir, modelJson, resolved.dtype) : undefined;
    return writeModelJson(dir, modelJson, { ...written, ...(selfCheck && { selfCheck }) });
  });
  return { outDir: resolved.outDir, metadata, notes: notesOf(checkpoint.info, options, head, resolved.graphPasses) };
}

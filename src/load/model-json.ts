import type { io } from '@tensorflow/tfjs-core';
import { METADATA_KEY, MODEL_FORMAT_VERSION, type InceptionModelMetadata, type ShardRecord } from '../../shared/model-metadata.js';
import { checkGraph } from './check-graph.js';
import { checkMetadataSizes } from './check-metadata-sizes.js';
import { checkWeightsManifest } from './check-weights-manifest.js';
import { MODEL_LIMITS } from './model-limits.js';
import { brief, isObject, wrongModel, type JsonObject } from './wrong-model.js';

export interface ParsedModelJson {
  readonly modelJson: io.ModelJSON;
  readonly metadata: InceptionModelMetadata;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Parses model.json and checks it is one this runtime can load, before TF.js sees any of it:
 * anything else, hostile or just foreign, is E_WRONG_MODEL saying what it is.
 */
export function parseModelJson(text: string, url: string): ParsedModelJson {
  if (text.length > MODEL_LIMITS.modelJsonBytes) {
    throw wrongModel(url, `is ${text.length} characters long, more than a model.json this SDK writes (${MODEL_LIMITS.modelJsonBytes})`);
  }
  const json = parseObject(text, url);
  checkGraphModel(json, url);
  const metadata = checkMetadata(json, url);
  const shards = checkShards(metadata, json.weightsManifest as unknown[], url);
  checkMetadataSizes(metadata, url);
  const weightNames = checkWeightsManifest(json.weightsManifest as unknown[], shards, url);
  checkGraph(json.modelTopology as JsonObject, metadata, weightNames, url);
  return { modelJson: json as unknown as io.ModelJSON, metadata: metadata as unknown as InceptionModelMetadata };
}

function parseObject(text: string, url: string): JsonObject {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Dev servers and SPA hosts answer a missing path with their index.html and status 200.
    const html = text.trimStart().startsWith('<') ? ': an HTML page, which servers often send for a path they do not have' : '';
    throw wrongModel(url, `is not JSON (it starts with ${JSON.stringify(text.slice(0, 40))}${html})`);
  }
  if (!isObject(json)) throw wrongModel(url, `is JSON but not an object (${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json})`);
  return json;
}

function checkGraphModel(json: JsonObject, url: string): void {
  if (!isObject(json.modelTopology) || !Array.isArray(json.weightsManifest)) {
    throw wrongModel(url, 'is JSON but not a TF.js model (it has no modelTopology and weightsManifest)');
  }
  if (json.format === 'layers-model' || !Array.isArray(json.modelTopology.node)) {
    throw wrongModel(url, `is a TF.js layers model (format ${brief(json.format)}, no graph nodes), not a graph model`);
  }
}

function checkMetadata(json: JsonObject, url: string): JsonObject {
  const userDefined = json.userDefinedMetadata;
  const metadata = isObject(userDefined) ? userDefined[METADATA_KEY] : undefined;
  if (!isObject(metadata)) {
    throw wrongModel(url, `is a TF.js graph model without userDefinedMetadata.${METADATA_KEY}, so inception-webgpu did not convert it`);
  }
  if (metadata.format !== 'inception-webgpu') throw wrongModel(url, `has metadata format ${brief(metadata.format)}`);
  if (metadata.formatVersion !== MODEL_FORMAT_VERSION) {
    const fix = Number(metadata.formatVersion) > MODEL_FORMAT_VERSION ? 'upgrade inception-webgpu' : 'convert the model again with this version';
    throw wrongModel(url, `has format version ${brief(metadata.formatVersion)}, which this inception-webgpu cannot read (${fix})`);
  }
  if (metadata.architecture !== 'inception_v3') throw wrongModel(url, `is a ${brief(metadata.architecture)} model`);
  checkHead(metadata, url);
  checkNormalization(metadata, url);
  checkSelfCheck(metadata, url);
  return metadata;
}

/** Labels are what every prediction shows: one string per class, and logits exactly when there are classes. */
function checkHead(metadata: JsonObject, url: string): void {
  const { numClasses, labels, outputs } = metadata;
  const logits = isObject(outputs) ? outputs.logits : undefined;
  if (!Number.isSafeInteger(numClasses) || (numClasses as number) < 0) throw wrongModel(url, `has numClasses ${JSON.stringify(numClasses)}, not a class count`);
  if (!Array.isArray(labels) || labels.length !== numClasses || !labels.every((label) => typeof label === 'string')) {
    throw wrongModel(url, `has ${Array.isArray(labels) ? labels.length : 'no'} string labels for its ${String(numClasses)} classes`);
  }
  if ((numClasses === 0) !== (logits === undefined) || (logits !== undefined && typeof logits !== 'string')) {
    throw wrongModel(url, `has ${String(numClasses)} classes but ${logits === undefined ? 'no' : `the logits output ${JSON.stringify(logits)} as its`} logits output`);
  }
}

/** Older models have no `normalization` (the graph applies x/127.5 − 1); a present one must be well-formed. */
function checkNormalization(metadata: JsonObject, url: string): void {
  const preprocessing = isObject(metadata.preprocessing) ? metadata.preprocessing : {};
  const normalization = preprocessing.normalization;
  if (normalization === undefined) return;
  const rgb = (value: unknown, positive: boolean) =>
    Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0));
  if (!isObject(normalization) || typeof normalization.name !== 'string' || !rgb(normalization.mean, false) || !rgb(normalization.std, true)) {
    throw wrongModel(url, `has malformed preprocessing.normalization ${JSON.stringify(normalization)} (expected a name, three means and three positive stds)`);
  }
}

const finiteNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/** Older models have no golden outputs; present ones must match the model's own shape, or every check would fail. */
function checkSelfCheck(metadata: JsonObject, url: string): void {
  const check = metadata.selfCheck;
  if (check === undefined) return;
  const embedding = isObject(check) && isObject(check.embedding) ? check.embedding : undefined;
  const indices = embedding?.indices;
  const validIndices = Array.isArray(indices) && indices.every((i) => Number.isSafeInteger(i) && (i as number) >= 0 && (i as number) < Number(metadata.embeddingSize));
  const logits = isObject(check) ? check.logits : undefined;
  const validLogits = logits === undefined ? metadata.numClasses === 0 : finiteNumbers(logits) && logits.length === metadata.numClasses;
  const valid =
    isObject(check) &&
    typeof check.probe === 'string' &&
    typeof check.tolerance === 'number' &&
    check.tolerance > 0 &&
    validIndices &&
    finiteNumbers(embedding?.values) &&
    (embedding?.values as number[]).length === (indices as number[]).length &&
    validLogits;
  if (!valid) throw wrongModel(url, 'has malformed selfCheck metadata (expected the probe, a positive tolerance, one logit per class and embedding values at valid indices)');
}

const isShardRecord = (value: unknown): value is ShardRecord =>
  isObject(value) &&
  typeof value.path === 'string' &&
  Number.isSafeInteger(value.bytes) &&
  (value.bytes as number) >= 0 &&
  typeof value.sha256 === 'string' &&
  SHA256_HEX.test(value.sha256);

/** Shards are fetched from the metadata and handed to TF.js in weightsManifest order: the two lists must agree. */
function checkShards(metadata: JsonObject, weightsManifest: unknown[], url: string): readonly ShardRecord[] {
  const shards = isObject(metadata.weights) ? metadata.weights.shards : undefined;
  if (!Array.isArray(shards) || !shards.every(isShardRecord)) {
    throw wrongModel(url, 'has malformed weights.shards metadata (each shard needs a path, a byte count and a hex SHA-256)');
  }
  const manifestPaths = weightsManifest.flatMap((group) => (isObject(group) && Array.isArray(group.paths) ? group.paths : [null]));
  const metadataPaths = shards.map((shard) => shard.path);
  if (manifestPaths.length !== metadataPaths.length || manifestPaths.some((path, i) => path !== metadataPaths[i])) {
    throw wrongModel(url, `lists weight files ${brief(manifestPaths)} in weightsManifest but ${brief(metadataPaths)} in its metadata`);
  }
  return shards;
}

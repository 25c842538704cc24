import type { io } from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import { METADATA_KEY, MODEL_FORMAT_VERSION, type InceptionModelMetadata, type ShardRecord } from '../../shared/model-metadata.js';

export interface ParsedModelJson {
  readonly modelJson: io.ModelJSON;
  readonly metadata: InceptionModelMetadata;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const SHA256_HEX = /^[0-9a-f]{64}$/;

function wrongModel(url: string, found: string): RuntimeError {
  return new RuntimeError(
    'E_WRONG_MODEL',
    `${url} ${found}; expected the model.json of an Inception V3 converted by \`npx inception-webgpu convert\` ` +
      `(a TF.js graph model with userDefinedMetadata.${METADATA_KEY}, format version ${MODEL_FORMAT_VERSION})`,
  );
}

/** Parses model.json and checks it is one this runtime can load; anything else is E_WRONG_MODEL saying what it is. */
export function parseModelJson(text: string, url: string): ParsedModelJson {
  const json = parseObject(text, url);
  checkGraphModel(json, url);
  const metadata = checkMetadata(json, url);
  checkShards(metadata, json.weightsManifest as unknown[], url);
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
    throw wrongModel(url, `is a TF.js layers model (format ${JSON.stringify(json.format)}, no graph nodes), not a graph model`);
  }
}

function checkMetadata(json: JsonObject, url: string): JsonObject {
  const userDefined = json.userDefinedMetadata;
  const metadata = isObject(userDefined) ? userDefined[METADATA_KEY] : undefined;
  if (!isObject(metadata)) {
    throw wrongModel(url, `is a TF.js graph model without userDefinedMetadata.${METADATA_KEY}, so inception-webgpu did not convert it`);
  }
  if (metadata.format !== 'inception-webgpu') throw wrongModel(url, `has metadata format ${JSON.stringify(metadata.format)}`);
  if (metadata.formatVersion !== MODEL_FORMAT_VERSION) {
    const fix = Number(metadata.formatVersion) > MODEL_FORMAT_VERSION ? 'upgrade inception-webgpu' : 'convert the model again with this version';
    throw wrongModel(url, `has format version ${JSON.stringify(metadata.formatVersion)}, which this inception-webgpu cannot read (${fix})`);
  }
  if (metadata.architecture !== 'inception_v3') throw wrongModel(url, `is a ${JSON.stringify(metadata.architecture)} model`);
  return metadata;
}

const isShardRecord = (value: unknown): value is ShardRecord =>
  isObject(value) &&
  typeof value.path === 'string' &&
  Number.isSafeInteger(value.bytes) &&
  (value.bytes as number) >= 0 &&
  typeof value.sha256 === 'string' &&
  SHA256_HEX.test(value.sha256);

/** Shards are fetched from the metadata and handed to TF.js in weightsManifest order: the two lists must agree. */
function checkShards(metadata: JsonObject, weightsManifest: unknown[], url: string): void {
  const shards = isObject(metadata.weights) ? metadata.weights.shards : undefined;
  if (!Array.isArray(shards) || !shards.every(isShardRecord)) {
    throw wrongModel(url, 'has malformed weights.shards metadata (each shard needs a path, a byte count and a hex SHA-256)');
  }
  const manifestPaths = weightsManifest.flatMap((group) => (isObject(group) && Array.isArray(group.paths) ? group.paths : [null]));
  const metadataPaths = shards.map((shard) => shard.path);
  if (manifestPaths.length !== metadataPaths.length || manifestPaths.some((path, i) => path !== metadataPaths[i])) {
    throw wrongModel(url, `lists weight files ${JSON.stringify(manifestPaths)} in weightsManifest but ${JSON.stringify(metadataPaths)} in its metadata`);
  }
}

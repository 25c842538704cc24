import { TaggerError } from '../../shared/errors.js';
import { base64ToFloat32 } from './base64.js';
import type { LinearHead } from './linear-head.js';
import { TAGGER_FORMAT, TAGGER_FORMAT_VERSION, type TaggerJSON, type TaggerModelIdentity, type TaggerState } from './tagger-json.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

function corrupt(detail: string, cause?: unknown): TaggerError {
  return new TaggerError('E_CORRUPT_TAGGER', `not a valid tagger: ${detail}. Use a file written by tagger.toJSON(), or teach the tags again`, { cause });
}

function parseText(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (error) {
    throw corrupt(`it is not JSON (${error instanceof Error ? error.message : String(error)}); was the file cut short?`, error);
  }
}

/** The top level: the format marker and a version this code reads. */
function envelope(source: unknown): JsonObject {
  const value = typeof source === 'string' ? parseText(source) : source;
  if (!isObject(value) || value.format !== TAGGER_FORMAT) throw corrupt(`it has no "format": "${TAGGER_FORMAT}" (is it another kind of file, e.g. a model.json?)`);
  if (typeof value.formatVersion === 'number' && value.formatVersion > TAGGER_FORMAT_VERSION) {
    throw corrupt(`it is format version ${value.formatVersion}, from a newer inception-webgpu (this one reads version ${TAGGER_FORMAT_VERSION}); upgrade the package`);
  }
  if (value.formatVersion !== TAGGER_FORMAT_VERSION) throw corrupt(`"formatVersion" is ${JSON.stringify(value.formatVersion)}, expected ${TAGGER_FORMAT_VERSION}`);
  return value;
}

function modelIdentity(value: unknown): TaggerModelIdentity {
  if (!isObject(value) || typeof value.weightsSha256 !== 'string' || !isPositiveInteger(value.embeddingSize)) {
    throw corrupt('"model" must be { "weightsSha256": string, "embeddingSize": positive integer }');
  }
  return { weightsSha256: value.weightsSha256, embeddingSize: value.embeddingSize };
}

/** base64 float32 data, every value finite. */
function floats(value: unknown, what: string): Float32Array {
  if (typeof value !== 'string') throw corrupt(`${what} must be a base64 string`);
  let data: Float32Array;
  try {
    data = base64ToFloat32(value);
  } catch (error) {
    throw corrupt(`${what} is not base64 float32 data`, error);
  }
  if (!data.every(Number.isFinite)) throw corrupt(`${what} holds NaN or infinite values`);
  return data;
}

function exactly(data: Float32Array, what: string, length: number): Float32Array {
  if (data.length !== length) throw corrupt(`${what} holds ${data.length} values, expected ${length}`);
  return data;
}

function rows(data: Float32Array, size: number): Float32Array[] {
  return Array.from({ length: data.length / size }, (_, i) => data.slice(i * size, (i + 1) * size));
}

function classes(value: unknown, embeddingSize: number): Map<string, Float32Array[]> {
  if (!Array.isArray(value)) throw corrupt('"classes" must be an array');
  const byLabel = new Map<string, Float32Array[]>();
  for (const [i, entry] of value.entries()) {
    if (!isObject(entry) || typeof entry.label !== 'string' || entry.label.trim() === '') throw corrupt(`classes[${i}] has no label`);
    if (byLabel.has(entry.label)) throw corrupt(`the tag '${entry.label}' appears twice`);
    const data = floats(entry.embeddings, `the embeddings of '${entry.label}'`);
    if (data.length === 0 || data.length % embeddingSize !== 0) {
      throw corrupt(`the embeddings of '${entry.label}' hold ${data.length} values, not one or more ${embeddingSize}-d embeddings`);
    }
    byLabel.set(entry.label, rows(data, embeddingSize));
  }
  return byLabel;
}

function head(value: unknown, labels: readonly string[], embeddingSize: number): LinearHead | undefined {
  if (value === null) return undefined;
  if (!isObject(value) || labels.length < 2) throw corrupt('"head" must be null, or { "weights", "bias" } with at least two classes');
  return {
    labels,
    weights: exactly(floats(value.weights, 'the head weights'), 'the head weights', embeddingSize * labels.length),
    bias: exactly(floats(value.bias, 'the head bias'), 'the head bias', labels.length),
  };
}

/** Checks a parsed or textual `TaggerJSON` in full; anything amiss is E_CORRUPT_TAGGER naming the field. */
export function parseTaggerJson(source: TaggerJSON | string): TaggerState {
  const json = envelope(source);
  const model = modelIdentity(json.model);
  if (!isPositiveInteger(json.k)) throw corrupt(`"k" must be a positive integer, got ${JSON.stringify(json.k)}`);
  const byLabel = classes(json.classes, model.embeddingSize);
  return { model, k: json.k, classes: byLabel, head: head(json.head, [...byLabel.keys()], model.embeddingSize) };
}

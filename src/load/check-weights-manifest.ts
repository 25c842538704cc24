import type { ShardRecord } from '../../shared/model-metadata.js';
import { MODEL_LIMITS } from './model-limits.js';
import { brief, isObject, wrongModel, type JsonObject } from './wrong-model.js';

/** Bytes per stored element of each quantization the converter writes. */
const QUANTIZED_BYTES: Readonly<Record<string, number>> = { float16: 2, uint8: 1 };

/**
 * Checks every weight before TF.js allocates for it: a float32 or int32 dtype, a shape of
 * positive integers, finite quantization parameters, and shards that hold exactly the bytes
 * their group's weights need, within MODEL_LIMITS.weightBytes in all. Returns the weights' names.
 */
export function checkWeightsManifest(manifest: readonly unknown[], shards: readonly ShardRecord[], url: string): Set<string> {
  const total = shards.reduce((sum, shard) => sum + shard.bytes, 0);
  if (total > MODEL_LIMITS.weightBytes) {
    throw wrongModel(url, `declares ${total} bytes of weight shards, more than any model this SDK loads (${MODEL_LIMITS.weightBytes})`);
  }
  const shardBytes = new Map(shards.map((shard) => [shard.path, shard.bytes]));
  const names = new Set<string>();
  for (const [index, group] of manifest.entries()) {
    if (!isObject(group) || !Array.isArray(group.weights)) throw wrongModel(url, `has weightsManifest group ${index} without a weights list`);
    const needed = group.weights.reduce((sum: number, weight: unknown) => sum + weightBytes(weight, names, url), 0);
    const held = (group.paths as string[]).reduce((sum, path) => sum + (shardBytes.get(path) ?? 0), 0);
    if (needed !== held) {
      throw wrongModel(url, `declares ${needed} bytes of weights in weightsManifest group ${index}, but its shards hold ${held} bytes`);
    }
  }
  return names;
}

/** The weight's size in the shards; its name joins `names`, where it must not be already. */
function weightBytes(weight: unknown, names: Set<string>, url: string): number {
  if (!isObject(weight) || typeof weight.name !== 'string') throw wrongModel(url, `has a weightsManifest entry without a name: ${brief(weight)}`);
  const name = brief(weight.name);
  if (names.has(weight.name)) throw wrongModel(url, `lists weight ${name} twice in its weightsManifest`);
  names.add(weight.name);
  if (weight.dtype !== 'float32' && weight.dtype !== 'int32') {
    throw wrongModel(url, `declares weight ${name} as ${brief(weight.dtype)}; this SDK writes only float32 and int32 weights`);
  }
  return elementCount(weight.shape, name, url) * elementBytes(weight, name, url);
}

function elementCount(shape: unknown, name: string, url: string): number {
  const bad = (why: string) => wrongModel(url, `gives weight ${name} the shape ${brief(shape)}: ${why}`);
  if (!Array.isArray(shape) || shape.length > 8) throw bad('a shape is a list of at most 8 dimensions');
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || (dim as number) < 1) throw bad('every dimension must be a positive integer');
    count *= dim as number;
    if (count > MODEL_LIMITS.weightBytes) throw bad('more elements than any model this SDK loads');
  }
  return count;
}

function elementBytes(weight: JsonObject, name: string, url: string): number {
  const quantization = weight.quantization;
  if (quantization === undefined) return 4;
  const dtype = isObject(quantization) ? quantization.dtype : undefined;
  const bytes = weight.dtype === 'float32' && typeof dtype === 'string' ? QUANTIZED_BYTES[dtype] : undefined;
  if (!bytes || !isObject(quantization)) {
    throw wrongModel(url, `quantizes ${weight.dtype} weight ${name} as ${brief(dtype)}; this SDK writes only float16 and uint8 quantization of float32 weights`);
  }
  if (dtype === 'uint8') {
    const { min, scale } = quantization;
    if (!Number.isFinite(min) || !Number.isFinite(scale) || !((scale as number) > 0)) {
      throw wrongModel(url, `quantizes weight ${name} with min ${brief(min)} and scale ${brief(scale)}; both must be finite numbers, the scale positive`);
    }
  }
  return bytes;
}

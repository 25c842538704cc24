import type { TensorRecord } from '../read/checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { expectedStateDict } from './inception-v3-spec.js';

/** Keys a real Inception V3 checkpoint may carry that the inference graph does not use. */
const IGNORED_KEY = /(^AuxLogits\.)|(\.num_batches_tracked$)/;
const FLOAT_TYPES = new Set(['float32', 'float16', 'bfloat16', 'float64']);

const listSome = (keys: string[], n = 3) =>
  keys.slice(0, n).map((k) => `'${k}'`).join(', ') + (keys.length > n ? ` and ${keys.length - n} more` : '');
const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * The fc head's class count, read from `fc.weight` ([N, 2048]): any N ≥ 1. 0 when the checkpoint
 * has no fc at all, as a backbone saved after `model.fc = nn.Identity()` has. The shapes
 * themselves are checked by validateStateDict, which also tells a non-Inception checkpoint apart.
 */
export function headClassCount(tensors: ReadonlyMap<string, TensorRecord>): number {
  const shape = tensors.get('fc.weight')?.shape ?? tensors.get('fc.bias')?.shape;
  return shape === undefined ? 0 : Math.max(1, shape[0] ?? 1);
}

/**
 * Checks that a state_dict is torchvision's / timm's Inception V3 with an fc head of `numClasses`
 * (0: none): every key present with the right shape and a float type, nothing unexpected.
 * Returns the tensors the graph needs.
 */
export function validateStateDict(tensors: ReadonlyMap<string, TensorRecord>, numClasses: number): Map<string, TensorRecord> {
  const expected = expectedStateDict(numClasses);
  const present = [...tensors.keys()].filter((k) => !IGNORED_KEY.test(k));
  const known = present.filter((k) => expected.has(k));
  if (known.length < expected.size / 2) {
    throw new ConverterError(
      'E_NOT_INCEPTION_V3',
      `this checkpoint is not Inception V3: expected ${expected.size} keys such as 'Mixed_5b.branch1x1.conv.weight', ` +
        `found ${present.length} keys such as ${listSome(present) || 'none'}; pass torchvision's inception_v3 or timm's inception_v3.tv_in1k weights`,
    );
  }
  const missing = [...expected.keys()].filter((k) => !tensors.has(k));
  if (missing.length > 0) {
    throw new ConverterError('E_MISSING_KEY', `checkpoint lacks ${missing.length} Inception V3 key(s): ${listSome(missing)}; the file may be truncated or from another model variant`);
  }
  const unexpected = present.filter((k) => !expected.has(k));
  if (unexpected.length > 0) {
    throw new ConverterError('E_UNEXPECTED_KEY', `checkpoint has ${unexpected.length} key(s) Inception V3 does not: ${listSome(unexpected)}; expected exactly torchvision's inception_v3 state_dict`);
  }
  const result = new Map<string, TensorRecord>();
  for (const [key, shape] of expected) {
    const tensor = tensors.get(key) as TensorRecord;
    if (shapeText(tensor.shape) !== shapeText(shape)) {
      throw new ConverterError('E_SHAPE_MISMATCH', `'${key}' has shape ${shapeText(tensor.shape)}, expected ${shapeText(shape)} for Inception V3`);
    }
    if (!FLOAT_TYPES.has(tensor.dtype)) {
      throw new ConverterError('E_SHAPE_MISMATCH', `'${key}' has dtype ${tensor.dtype}, expected a floating-point type`);
    }
    result.set(key, tensor);
  }
  return result;
}

/** Reads a tensor and rejects NaN / ±Inf, naming the tensor and the first bad index. */
export function readFinite(tensor: TensorRecord): Float32Array {
  const values = tensor.toFloat32();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (v - v !== 0) {
      throw new ConverterError('E_NON_FINITE', `'${tensor.name}' holds ${v} at flat index ${i}; the checkpoint is corrupt or was saved mid-divergence — re-export it from a healthy model`);
    }
  }
  return values;
}

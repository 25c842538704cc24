import { expectedStateDict } from '../model/inception-v3-spec.js';
import { REFERENCE_SEED, seedOf, uniformAt } from './hash-prng.js';

/**
 * Synthetic Inception V3 weights, bit-identical to the PyTorch reference recipe. Channels come in
 * ± pairs ("looks-linear"), so a random 94-conv network still carries image information to the
 * logits and PyTorch parity tests can compare meaningful numbers.
 */

export interface PlainTensor {
  readonly dtype: 'float32' | 'int64';
  readonly shape: number[];
  readonly data: Float32Array | BigInt64Array;
}

/** (-1)^index: +1 for even channels, -1 for odd ones. */
const pairSign = (index: number) => (index & 1 ? -1 : 1);

function convWeight(name: string, shape: number[], seed: number): Float32Array {
  const [out = 0, inCh = 0, kh = 0, kw = 0] = shape;
  const isRgbInput = name === 'Conv2d_1a_3x3.conv.weight';
  const effectiveIn = isRgbInput ? inCh : inCh / 2;
  const amplitude = Math.fround(Math.sqrt(3 / (effectiveIn * kh * kw)));
  const data = new Float32Array(out * inCh * kh * kw);
  let k = 0;
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inCh; i++) {
      const q = isRgbInput ? i : i >> 1;
      const sign = pairSign(o) * (isRgbInput ? 1 : pairSign(i));
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const j = ((((o >> 1) * effectiveIn + q) * kh + y) * kw) + x;
          data[k++] = sign * (amplitude * uniformAt(seed, j));
        }
      }
    }
  }
  return data;
}

function fcWeight(shape: number[], seed: number): Float32Array {
  const [classes = 0, features = 0] = shape;
  const amplitude = Math.fround(Math.sqrt(3 / (features / 2)));
  const data = new Float32Array(classes * features);
  for (let c = 0; c < classes; c++) {
    for (let f = 0; f < features; f++) {
      data[c * features + f] = pairSign(f) * (amplitude * uniformAt(seed, c * (features / 2) + (f >> 1)));
    }
  }
  return data;
}

/** offset + scale·v, shared by each ± channel pair; antisymmetric ones flip sign on odd channels. */
const BATCH_NORM_RECIPE: Record<string, { offset: number; scale: number; antisymmetric: boolean }> = {
  weight: { offset: 1, scale: 0.25, antisymmetric: false },
  bias: { offset: 0, scale: 0.1, antisymmetric: true },
  running_mean: { offset: 0, scale: 0.2, antisymmetric: true },
  running_var: { offset: 1, scale: 0.5, antisymmetric: false },
};

function batchNormParam(kind: string, channels: number, seed: number): Float32Array {
  const recipe = BATCH_NORM_RECIPE[kind];
  if (!recipe) throw new Error(`no synthetic recipe for batch-norm parameter '${kind}'`);
  const data = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const sign = recipe.antisymmetric ? pairSign(c) : 1;
    data[c] = sign * (recipe.offset + recipe.scale * uniformAt(seed, c >> 1));
  }
  return data;
}

function synthesize(name: string, shape: number[], globalSeed: number): Float32Array {
  const seed = seedOf(name, globalSeed);
  if (name.endsWith('conv.weight')) return convWeight(name, shape, seed);
  if (name === 'fc.weight') return fcWeight(shape, seed);
  if (name === 'fc.bias') return Float32Array.from({ length: shape[0] ?? 0 }, (_, k) => 0.01 * uniformAt(seed, k));
  return batchNormParam(name.slice(name.lastIndexOf('.') + 1), shape[0] ?? 0, seed);
}

/**
 * The full synthetic state_dict in torchvision's key order, including each BatchNorm's
 * `num_batches_tracked` (int64 0), exactly as `torch.save(model.state_dict())` would hold it.
 */
export function syntheticStateDict(globalSeed = REFERENCE_SEED): Map<string, PlainTensor> {
  const tensors = new Map<string, PlainTensor>();
  for (const [name, shape] of expectedStateDict()) {
    tensors.set(name, { dtype: 'float32', shape, data: synthesize(name, shape, globalSeed) });
    if (name.endsWith('.bn.running_var')) {
      const counter = name.replace(/running_var$/, 'num_batches_tracked');
      tensors.set(counter, { dtype: 'int64', shape: [], data: new BigInt64Array(1) });
    }
  }
  return tensors;
}

/**
 * Filter taps of PIL's `Image.resize(..., BILINEAR)` for 8-bit images, computed on the CPU so the
 * GPU only gathers, multiplies and sums. PIL's result depends on the exact double-precision
 * arithmetic and the fixed-point rounding of the weights, so both are reproduced operation for
 * operation: a weight that differs in its last bit can flip a pixel that sits on a rounding tie.
 */
import { RuntimeError } from '../../shared/errors.js';

/** PIL stores 8-bit resampling weights as integers scaled by 2^22 (32 bits − 8 for the pixel − 2 spare). */
export const PIL_WEIGHT_BITS = 22;

/** Taps for a window of output samples along one axis. */
export interface ResampleTaps {
  /** Taps per output sample: the widest support in the window; shorter rows are padded with weight 0. */
  readonly taps: number;
  /** First input sample read by the window. */
  readonly first: number;
  /** Number of input samples read, from `first`. */
  readonly span: number;
  /** `taps` input indices per output sample; padding taps repeat the last real index. */
  readonly index: Int32Array;
  /** `taps` weights per output sample, integers scaled by 2^22, each row summing to about 2^22. */
  readonly weights: Int32Array;
}

interface SampleTaps {
  readonly start: number;
  readonly weights: number[];
}

function triangle(x: number): number {
  const distance = Math.abs(x);
  return distance < 1 ? 1 - distance : 0;
}

/**
 * One output sample's taps. Shrinking widens the triangle by the scale factor (this is PIL's
 * antialiasing); enlarging keeps support 1. The truncations are C `(int)` casts, toward zero.
 */
function sampleTaps(inSize: number, scale: number, output: number): SampleTaps {
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const inverse = 1 / filterScale;
  const center = (output + 0.5) * scale;
  const start = Math.max(0, Math.trunc(center - support + 0.5));
  const end = Math.min(inSize, Math.trunc(center + support + 0.5));
  const raw: number[] = [];
  let total = 0;
  for (let i = start; i < end; i++) {
    const weight = triangle((i - center + 0.5) * inverse);
    raw.push(weight);
    total += weight;
  }
  // `total` > 0: the input sample under `center` is always in range with a positive weight.
  const normalized = raw.map((weight) => weight / total);
  // Triangle weights are never negative, so PIL's round-half-away-from-zero is trunc(w + 0.5).
  return { start, weights: normalized.map((weight) => Math.trunc(0.5 + weight * 2 ** PIL_WEIGHT_BITS)) };
}

/** Zero weights at either end add nothing but would widen every row's gather. */
function trimZeros(sample: SampleTaps): SampleTaps {
  const head = sample.weights.findIndex((weight) => weight !== 0);
  const tail = sample.weights.findLastIndex((weight) => weight !== 0) + 1;
  return { start: sample.start + head, weights: sample.weights.slice(head, tail) };
}

/**
 * PIL's bilinear taps resizing `inSize` samples to `outSize`, for outputs
 * `windowStart .. windowStart + windowLength − 1` only (a crop of the resized image).
 */
export function pilBilinearTaps(
  inSize: number,
  outSize: number,
  windowStart = 0,
  windowLength = outSize - windowStart,
): ResampleTaps {
  if (!(inSize >= 1 && windowStart >= 0 && windowLength >= 1 && windowStart + windowLength <= outSize)) {
    throw new RuntimeError(
      'E_BAD_OPTION',
      `Cannot resample ${inSize} samples to ${outSize} and keep ${windowLength} from ${windowStart}.`,
    );
  }
  const scale = inSize / outSize;
  const samples = Array.from({ length: windowLength }, (_, i) =>
    trimZeros(sampleTaps(inSize, scale, windowStart + i)),
  );
  const taps = samples.reduce((most, sample) => Math.max(most, sample.weights.length), 0);
  const first = samples.reduce((least, sample) => Math.min(least, sample.start), inSize);
  const span = samples.reduce((end, sample) => Math.max(end, sample.start + sample.weights.length), 0) - first;
  const index = new Int32Array(windowLength * taps);
  const weights = new Int32Array(windowLength * taps);
  samples.forEach((sample, i) => {
    for (let k = 0; k < taps; k++) {
      index[i * taps + k] = sample.start + Math.min(k, sample.weights.length - 1);
      weights[i * taps + k] = sample.weights[k] ?? 0;
    }
  });
  return { taps, first, span, index, weights };
}

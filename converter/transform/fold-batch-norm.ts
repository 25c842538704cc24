import { BATCH_NORM_EPSILON, type ConvSpec } from '../model/inception-v3-spec.js';

/** A conv with its BatchNorm folded in, in TF's layout: kernel HWIO, one bias per output channel. */
export interface FoldedConv {
  readonly kernel: Float32Array;
  readonly kernelShape: [number, number, number, number];
  readonly bias: Float32Array;
}

export interface BatchNormParams {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
}

/**
 * BN(conv(x, W)) = conv(x, W·s) + (β − μ·s) with s = γ / √(σ² + ε), per output channel.
 * Computed in float64 and rounded once, while transposing PyTorch's OIHW to TF's HWIO.
 */
export function foldBatchNorm(conv: ConvSpec, weightOIHW: Float32Array, bn: BatchNormParams): FoldedConv {
  const { inChannels: cin, outChannels: cout } = conv;
  const [kh, kw] = conv.kernel;
  const scale = new Float64Array(cout);
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    const s = (bn.gamma[o] ?? 0) / Math.sqrt((bn.variance[o] ?? 0) + BATCH_NORM_EPSILON);
    scale[o] = s;
    bias[o] = (bn.beta[o] ?? 0) - (bn.mean[o] ?? 0) * s;
  }
  const kernel = new Float32Array(weightOIHW.length);
  let src = 0;
  for (let o = 0; o < cout; o++) {
    const s = scale[o] ?? 0;
    for (let i = 0; i < cin; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          kernel[((y * kw + x) * cin + i) * cout + o] = (weightOIHW[src++] ?? 0) * s;
        }
      }
    }
  }
  return { kernel, kernelShape: [kh, kw, cin, cout], bias };
}

/** PyTorch's fc.weight is [classes, features]; MatMul wants [features, classes]. */
export function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] ?? 0;
  }
  return out;
}

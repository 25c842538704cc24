/**
 * TF's weight layouts (what the graph builder emits) to TFLite's: convolution kernels HWIO →
 * OHWI, depthwise filters HW·C·1 → 1·HW·C (the same bytes), fully connected [in, out] → [out, in].
 */
import { transposeMatrix } from '../../transform/fold-batch-norm.js';

/** A conv kernel [kh, kw, in, out] as TFLite's [out, kh, kw, in]. */
export function hwioToOhwi(kernel: Float32Array, [kh, kw, inC, outC]: readonly number[]): { values: Float32Array; shape: number[] } {
  const [h, w, i, o] = [kh as number, kw as number, inC as number, outC as number];
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < i; c++) {
        const from = ((y * w + x) * i + c) * o;
        for (let k = 0; k < o; k++) out[((k * h + y) * w + x) * i + c] = kernel[from + k] as number;
      }
    }
  }
  return { values: out, shape: [o, h, w, i] };
}

/**
 * A depthwise filter [kh, kw, channels, 1] as TFLite's [1, kh, kw, channels]: with a channel
 * multiplier of 1 the element order is the same, only the shape changes.
 */
export function depthwiseTo1hwc(filter: Float32Array, [kh, kw, channels, multiplier]: readonly number[]): { values: Float32Array; shape: number[] } {
  if (multiplier !== 1) throw new Error(`internal: depthwise channel multiplier ${multiplier}, only 1 is translated`);
  return { values: filter, shape: [1, kh as number, kw as number, channels as number] };
}

/** Fully connected weights [in, out] as TFLite's [out, in]. */
export function transpose2d(matrix: Float32Array, [rows, cols]: readonly number[]): { values: Float32Array; shape: number[] } {
  return { values: transposeMatrix(matrix, rows as number, cols as number), shape: [cols as number, rows as number] };
}

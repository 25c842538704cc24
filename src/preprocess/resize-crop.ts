/**
 * torchvision's eval transform for Inception V3 — PIL `Resize(342)` (antialiased bilinear) then
 * `CenterCrop(299)` — as TF.js ops, so the work runs on the GPU where the backend has one.
 * Only the cropped window is resampled: resizing then cropping equals resizing onto the window.
 */
import * as tf from '@tensorflow/tfjs-core';

import { RuntimeError } from '../../shared/errors.js';
import { pilBilinearTaps, PIL_WEIGHT_BITS, type ResampleTaps } from './pil-resize-taps.js';

export interface PreprocessOptions {
  /** Shorter side after resizing (torchvision `Resize`). Default 342. */
  readonly resizeTo?: number;
  /** Side of the square center crop (torchvision `CenterCrop`). Default 299. */
  readonly cropTo?: number;
}

export interface ResizeCropGeometry {
  readonly resizedWidth: number;
  readonly resizedHeight: number;
  readonly cropLeft: number;
  readonly cropTop: number;
  readonly cropSize: number;
}

/**
 * Weights are split into a high part (w >> 8) and a low byte so that every product and partial
 * sum is an integer below 2^24, exact in float32 on every backend. The low sums stay below 2^24
 * up to this many taps (255 · 255 · taps), i.e. shrinking by up to about 128×.
 */
const MAX_EXACT_TAPS = 258;
const LOW_BITS = 8;

function positiveInteger(name: string, value: number, code: 'E_EMPTY_IMAGE' | 'E_BAD_OPTION'): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RuntimeError(code, `${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

/** Python's round() on the halves that (size − crop) / 2 can produce: ties go to the even side. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  if (value - floor !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Resized size and crop offsets exactly as torchvision computes them for a `width`×`height` image. */
export function torchvisionResizeGeometry(
  width: number,
  height: number,
  options: PreprocessOptions = {},
): ResizeCropGeometry {
  positiveInteger('image width', width, 'E_EMPTY_IMAGE');
  positiveInteger('image height', height, 'E_EMPTY_IMAGE');
  const resizeTo = positiveInteger('resizeTo', options.resizeTo ?? 342, 'E_BAD_OPTION');
  const cropSize = positiveInteger('cropTo', options.cropTo ?? 299, 'E_BAD_OPTION');
  if (cropSize > resizeTo) {
    throw new RuntimeError('E_BAD_OPTION', `cropTo (${cropSize}) must not exceed resizeTo (${resizeTo}).`);
  }
  const [short, long] = width <= height ? [width, height] : [height, width];
  // Same double arithmetic as torchvision's int(size * long / short).
  const resizedLong = Math.trunc((resizeTo * long) / short);
  const [resizedWidth, resizedHeight] = width <= height ? [resizeTo, resizedLong] : [resizedLong, resizeTo];
  return {
    resizedWidth,
    resizedHeight,
    cropLeft: roundHalfEven((resizedWidth - cropSize) / 2),
    cropTop: roundHalfEven((resizedHeight - cropSize) / 2),
    cropSize,
  };
}

interface TapTensors {
  /** Input rows to gather, [n·taps], relative to the tensor's first row. */
  readonly index: tf.Tensor1D;
  /** Per output, its weights' high parts (w >> 8) and low bytes, each [n, 1, taps]. */
  readonly high: tf.Tensor3D;
  readonly low: tf.Tensor3D;
}

function tapTensors(taps: ResampleTaps, origin: number): TapTensors {
  const shape: [number, number, number] = [taps.index.length / taps.taps, 1, taps.taps];
  return {
    index: tf.tensor1d(taps.index.map((i) => i - origin), 'int32'),
    high: tf.tensor3d(Float32Array.from(taps.weights, (w) => w >> LOW_BITS), shape),
    low: tf.tensor3d(Float32Array.from(taps.weights, (w) => w & ((1 << LOW_BITS) - 1)), shape),
  };
}

/**
 * PIL's integer result floor((Σ p·w + 2^21) / 2^22), clipped to 0..255, from the exact high and
 * low sums: the low sum's bits below 2^8 cannot reach bit 22, so only its carry is kept.
 */
function roundToLevels(high: tf.Tensor, low: tf.Tensor): tf.Tensor {
  const shift = PIL_WEIGHT_BITS - LOW_BITS;
  const carried = tf.add(tf.add(high, tf.floor(tf.mul(low, 2 ** -LOW_BITS))), 2 ** (shift - 1));
  return tf.clipByValue(tf.floor(tf.mul(carried, 2 ** -shift)), 0, 255);
}

/**
 * Resamples the rows (axis 0) of a float32 `image` whose row 0 is input sample `origin`: one gather
 * of every tap's row, then per output row a [1, taps] × [taps, width·channels] matMul.
 */
function resampleRows(image: tf.Tensor3D, taps: ResampleTaps, origin: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [, width, channels] = image.shape;
    const { index, high, low } = tapTensors(taps, origin);
    const outputs = high.shape[0];
    const rows = tf.reshape(tf.gather(image, index, 0), [outputs, taps.taps, width * channels]);
    const levels = roundToLevels(tf.matMul(high, rows), tf.matMul(low, rows));
    return tf.reshape(levels, [outputs, width, channels]);
  });
}

/**
 * A float32 copy that really converts: tf.cast of int32 only relabels the data (no precision is
 * lost), and on WebGPU TF.js 4.22's transpose then reads an i32 buffer into f32 output and its
 * shader fails to compile (tensorflow/tfjs#8638). Arithmetic ops convert while they compute.
 */
function toFloat(image: tf.Tensor3D): tf.Tensor3D {
  return tf.mul(image, tf.scalar(1, 'float32'));
}

/**
 * Applies `step` and frees its input at once: the early, image-sized intermediates would otherwise
 * all live until the enclosing tidy ends, several times the memory of the image.
 */
function consume<T extends tf.Tensor, U extends tf.Tensor>(input: T, step: (input: T) => U): U {
  const output = step(input);
  input.dispose();
  return output;
}

function consumeAll<U extends tf.Tensor>(inputs: tf.Tensor3D[], step: (inputs: tf.Tensor3D[]) => U): U {
  const output = step(inputs);
  tf.dispose(inputs);
  return output;
}

/** Taps for the crop window along one axis, refused where float32 sums could no longer be exact. */
function windowTaps(inSize: number, outSize: number, cropStart: number, cropSize: number): ResampleTaps {
  const taps = pilBilinearTaps(inSize, outSize, cropStart, cropSize);
  if (taps.taps > MAX_EXACT_TAPS) {
    throw new RuntimeError(
      'E_IMAGE_TOO_LARGE',
      `Shrinking ${inSize} pixels to ${outSize} (over 128x) is not supported; downscale the image first.`,
    );
  }
  return taps;
}

/** PIL `convert('RGB')`: 1–2 channels are grey (+ alpha), 3–4 are RGB (+ alpha); alpha is dropped. */
function resampledChannels(image: tf.Tensor): 1 | 3 {
  const channels = image.shape[2] ?? 0;
  if (image.rank !== 3 || channels < 1 || channels > 4) {
    throw new RuntimeError('E_INVALID_INPUT', `Expected an [height, width, 1..4] image, got shape [${image.shape}].`);
  }
  return channels <= 2 ? 1 : 3;
}

/**
 * Resizes an [H, W, C] image of 0..255 levels (C = 1..4, int32 or float32) so its shorter side is
 * `resizeTo` with PIL's antialiased bilinear filter, rounding to 8-bit levels after each pass as
 * PIL does, and returns the `cropTo`² center crop as float32 RGB in 0..255.
 */
export function resizeAndCenterCrop(image: tf.Tensor3D, options: PreprocessOptions = {}): tf.Tensor3D {
  const [height, width] = image.shape;
  const used = resampledChannels(image);
  return resizeRowsAndCenterCrop(width, height, options, (first, count) => tf.slice(image, [first, 0, 0], [count, -1, used]));
}

/**
 * resizeAndCenterCrop of an image too big to hold as one tensor (a 49 MP photo is 600 MB as
 * int32): `readRows(first, count)` gives image rows [first, first + count) as an int32 or float32
 * [count, width, 1 | 3] tensor, `stripRows` rows at a time. The result is the same, bit for bit:
 * the horizontal pass treats every row on its own, and only its small output is kept.
 */
export function resizeRowsAndCenterCrop(
  width: number,
  height: number,
  options: PreprocessOptions,
  readRows: (first: number, count: number) => tf.Tensor3D,
  stripRows = Number.POSITIVE_INFINITY,
): tf.Tensor3D {
  const geometry = torchvisionResizeGeometry(width, height, options);
  const rows = windowTaps(height, geometry.resizedHeight, geometry.cropTop, geometry.cropSize);
  const columns = windowTaps(width, geometry.resizedWidth, geometry.cropLeft, geometry.cropSize);
  return tf.tidy(() => {
    const strips: tf.Tensor3D[] = [];
    for (let first = rows.first; first < rows.first + rows.span; first += stripRows) {
      // Only the rows the vertical pass reads; a view on most backends when no alpha is dropped.
      strips.push(horizontalPass(readRows(first, Math.min(stripRows, rows.first + rows.span - first)), columns));
    }
    const rowsFirst = strips.length === 1 ? (strips[0] as tf.Tensor3D) : consumeAll(strips, (s) => tf.concat(s, 0));
    const resized = consume(rowsFirst, (r) => resampleRows(r, rows, rows.first));
    return resized.shape[2] === 1 ? tf.tile(resized, [1, 1, 3]) : resized;
  });
}

/** Horizontal pass first, as PIL does (the rounding between passes makes the order matter): [rows, cropSize, channels]. */
function horizontalPass(band: tf.Tensor3D, columns: ResampleTaps): tf.Tensor3D {
  const columnsFirst = consume(consume(band, toFloat), (b) => tf.transpose(b, [1, 0, 2]));
  const horizontal = consume(columnsFirst, (b) => resampleRows(b, columns, 0));
  return consume(horizontal, (h) => tf.transpose(h, [1, 0, 2]));
}

/** Preprocesses several images and stacks them into a [N, cropTo, cropTo, 3] batch. */
export function resizeAndCenterCropBatch(
  images: readonly tf.Tensor3D[],
  options: PreprocessOptions = {},
): tf.Tensor4D {
  return tf.tidy(() => tf.stack(images.map((image) => resizeAndCenterCrop(image, options))) as tf.Tensor4D);
}

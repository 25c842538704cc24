import type { SourceDType, TensorRecord } from './checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { DTYPE_BYTES, rawToFloat32 } from './dtype-conversion.js';
import type { TensorSpec } from './torch-pickle.js';

/**
 * No Inception V3 tensor has more elements than fc.weight's 2,048,000; a few times that is
 * room enough. A larger shape (stride-0 views can claim any) is refused before allocating.
 */
const MAX_TENSOR_ELEMENTS = 1 << 24;

/** Reads `byteLength` bytes of a storage starting `byteOffset` bytes in, into a fresh buffer. */
export type StorageReader = (key: string, byteOffset: number, byteLength: number) => Uint8Array;

/**
 * A PyTorch tensor record: checks at open time that its strided view fits the stored bytes,
 * reads only its own span of the storage when asked, and gathers non-contiguous views.
 */
export function stridedTensorRecord(
  name: string,
  spec: TensorSpec,
  storedBytes: number,
  read: StorageReader,
  source: string,
): TensorRecord {
  const { storage, shape, strides } = spec;
  const dtype: SourceDType = storage.dtype;
  const size = DTYPE_BYTES[dtype];
  const first = storage.viewOffset + spec.offset;
  const span = elementSpan(shape, strides);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new ConverterError(
      'E_CORRUPT_FILE',
      `${source}: tensor '${name}' has shape [${shape.slice(0, 8).join(', ')}] (${count} elements), ` +
        `more than any Inception V3 weight (at most ${MAX_TENSOR_ELEMENTS})`,
    );
  }
  if ((first + span) * size > storedBytes) {
    throw new ConverterError(
      'E_CORRUPT_FILE',
      `${source}: tensor '${name}' (shape [${shape.join(', ')}], ${dtype}) needs ${(first + span) * size} bytes ` +
        `of storage '${storage.key}', which holds only ${storedBytes}`,
    );
  }
  return {
    name,
    dtype,
    shape,
    toFloat32: () => {
      if (span === 0) return new Float32Array(0);
      const values = rawToFloat32(read(storage.key, first * size, span * size), dtype);
      return isRowMajor(shape, strides) ? values : gatherStrided(values, shape, strides);
    },
  };
}

/** Elements from the first to the last one the view touches (0 for an empty tensor). */
function elementSpan(shape: readonly number[], strides: readonly number[]): number {
  if (shape.some((dim) => dim === 0)) return 0;
  return 1 + shape.reduce((sum, dim, d) => sum + (dim - 1) * strides[d]!, 0);
}

/** Size-1 dims may carry any stride in PyTorch, so they are ignored. */
function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}

/** Copies a strided view into row-major order: an odometer over the outer dims, a tight inner loop. */
function gatherStrided(src: Float32Array, shape: readonly number[], strides: readonly number[]): Float32Array {
  const rank = shape.length;
  const inner = shape[rank - 1]!;
  const innerStride = strides[rank - 1]!;
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const index = new Array<number>(rank).fill(0);
  let base = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let i = 0; i < inner; i++) out[o + i] = src[base + i * innerStride]!;
    for (let d = rank - 2; d >= 0; d--) {
      base += strides[d]!;
      if (++index[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

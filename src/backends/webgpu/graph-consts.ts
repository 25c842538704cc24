import * as tf from '@tensorflow/tfjs-core';

/** Bytes one stored element takes: the quantized type's where the weight is quantized. */
function elementBytes(spec: tf.io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  return dtype === 'uint8' || dtype === 'bool' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : 4;
}

/**
 * Reads small constants from the weight bytes: int32 ones (a Slice's begin and size, a concat's
 * axis) and unquantized float32 ones (the input's scale and shift, an average's filter, a fused
 * head's bias and alpha). A quantized weight reads as undefined there, so its rewrite is not
 * made; `floats` dequantizes as TF.js does, for the filters the load-time fusion concatenates.
 */
export class GraphConsts {
  private readonly offsets = new Map<string, { spec: tf.io.WeightsManifestEntry; offset: number }>();
  private readonly data: tf.io.CompositeArrayBuffer;

  constructor(artifacts: tf.io.ModelArtifacts) {
    let offset = 0;
    for (const spec of artifacts.weightSpecs ?? []) {
      this.offsets.set(spec.name, { spec, offset });
      offset += spec.shape.reduce((a, b) => a * b, 1) * elementBytes(spec);
    }
    this.data = new tf.io.CompositeArrayBuffer(artifacts.weightData);
  }

  /** The values, or undefined for a name that is not an unquantized weight of `dtype`. */
  values(name: string, dtype: 'int32' | 'float32' = 'int32'): number[] | undefined {
    const found = this.offsets.get(name);
    if (!found || found.spec.dtype !== dtype || found.spec.quantization) return undefined;
    const size = found.spec.shape.reduce((a, b) => a * b, 1);
    const bytes = this.data.slice(found.offset, found.offset + size * 4);
    return Array.from(dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes));
  }

  /** A float32 weight's values as TF.js decodes them (float16 or uint8 storage dequantized), or undefined. */
  floats(name: string): Float32Array | undefined {
    const found = this.offsets.get(name);
    if (found?.spec.dtype !== 'float32') return undefined;
    const bytes = this.data.slice(found.offset, found.offset + found.spec.shape.reduce((a, b) => a * b, 1) * elementBytes(found.spec));
    const tensor = tf.io.decodeWeights(bytes, [found.spec])[name] as tf.Tensor;
    const values = tensor.dataSync() as Float32Array;
    tensor.dispose();
    return values;
  }

  shape(name: string): readonly number[] | undefined {
    return this.offsets.get(name)?.spec.shape;
  }
}

/** Element types a PyTorch / safetensors checkpoint may store. */
export type SourceDType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

/** One tensor of a checkpoint. Values are read lazily so a 95 MB file is never held twice. */
export interface TensorRecord {
  readonly name: string;
  readonly dtype: SourceDType;
  readonly shape: readonly number[];
  /** The values as a new contiguous row-major Float32Array (integers are converted). */
  toFloat32(): Float32Array;
}

export type CheckpointFormat = 'torch-zip' | 'torch-legacy' | 'safetensors' | 'in-memory';

/** What a training script saved next to the weights that tells how to convert them. */
export interface CheckpointInfo {
  /**
   * The class names as saved under `class_to_idx` ({name: index}), `classes` ([name, ...]) or
   * `idx_to_class` ({index: name}); dicts arrive as Maps.
   */
  readonly labels?: { readonly key: string; readonly value: unknown };
  /** torchvision's `transform_input`, from the checkpoint or its saved `args` / `config`. */
  readonly transformInput?: boolean;
  /** Which wrapper key held the weights, for the user to see, e.g. `'state_dict_ema'`. */
  readonly weightsFrom?: string;
}

/** A checkpoint opened for reading: a flat state_dict of named tensors. */
export interface Checkpoint {
  readonly format: CheckpointFormat;
  readonly tensors: ReadonlyMap<string, TensorRecord>;
  /** Absent for formats that hold nothing but tensors (safetensors, in-memory). */
  readonly info?: CheckpointInfo;
  /** Releases the file handle. Idempotent. */
  close(): void;
}

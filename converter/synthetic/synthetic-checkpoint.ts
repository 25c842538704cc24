import type { Checkpoint, TensorRecord } from '../read/checkpoint-types.js';
import type { PlainTensor } from './synthetic-state-dict.js';

/** Wraps an in-memory state_dict as a Checkpoint, so it converts without touching a file. */
export function inMemoryCheckpoint(tensors: ReadonlyMap<string, PlainTensor>): Checkpoint {
  const records = new Map<string, TensorRecord>();
  for (const [name, t] of tensors) {
    records.set(name, {
      name,
      dtype: t.dtype,
      shape: t.shape,
      toFloat32: () => (t.data instanceof Float32Array ? t.data.slice() : Float32Array.from(t.data, Number)),
    });
  }
  return { format: 'in-memory', tensors: records, close: () => {} };
}

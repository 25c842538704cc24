import { openCheckpoint } from '../../converter/read/open-checkpoint.js';

/** Opens a checkpoint and reads every tensor, as the converter would, then closes it. */
export function readAllTensors(path: string): void {
  const checkpoint = openCheckpoint(path);
  try {
    for (const record of checkpoint.tensors.values()) record.toFloat32();
  } finally {
    checkpoint.close();
  }
}

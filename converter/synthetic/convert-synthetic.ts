import { convertCheckpoint, type ConvertOptions, type ConvertResult } from '../convert.js';
import type { WeightDType } from '../transform/quantize.js';
import { inMemoryCheckpoint } from './synthetic-checkpoint.js';
import { syntheticStateDict } from './synthetic-state-dict.js';

/** Not a checkpoint file, so no SHA-256: the demo tells real weights from these by that. */
export const SYNTHETIC_SOURCE = { fileName: 'synthetic-seedA', sha256: 'synthetic', bytes: 0, format: 'in-memory' } as const;

/** Converts the synthetic seedA weights (the test and demo-fallback model) into `outDir`, replacing it. */
export function convertSyntheticModel(outDir: string, dtype: WeightDType = 'float32', extra: Pick<ConvertOptions, 'format' | 'graphPasses'> = {}): Promise<ConvertResult> {
  return convertCheckpoint(inMemoryCheckpoint(syntheticStateDict()), SYNTHETIC_SOURCE, { outDir, dtype, force: true, ...extra });
}

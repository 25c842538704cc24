import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { convertCheckpoint } from '../../converter/convert.js';
import type { WeightDType } from '../../converter/quantize.js';
import { inMemoryCheckpoint } from '../../converter/synthetic/synthetic-checkpoint.js';
import { syntheticStateDict } from '../../converter/synthetic/synthetic-state-dict.js';
import { TEST_MODELS } from './paths.js';

export const SYNTHETIC_SOURCE = { fileName: 'synthetic-seedA', sha256: 'synthetic', bytes: 0, format: 'in-memory' } as const;

/**
 * The converted synthetic-weights model (the reference's seedA) for `dtype`, built once per test
 * run; global-setup.ts clears the folder so a converter change is never masked by a stale copy.
 */
export async function syntheticModelDir(dtype: WeightDType = 'float32'): Promise<string> {
  const dir = join(TEST_MODELS, `synthetic-${dtype}`);
  if (!existsSync(join(dir, 'model.json'))) {
    await convertCheckpoint(inMemoryCheckpoint(syntheticStateDict()), SYNTHETIC_SOURCE, { outDir: dir, dtype, force: true });
  }
  return dir;
}

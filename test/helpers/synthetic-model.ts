import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertCheckpoint } from '../../converter/convert.js';
import type { WeightDType } from '../../converter/quantize.js';
import { inMemoryCheckpoint } from '../../converter/synthetic/synthetic-checkpoint.js';
import { syntheticStateDict } from '../../converter/synthetic/synthetic-state-dict.js';
import { ROOT, TEST_MODELS } from './paths.js';

export const SYNTHETIC_SOURCE = { fileName: 'synthetic-seedA', sha256: 'synthetic', bytes: 0, format: 'in-memory' } as const;

/** Hash of every source file that shapes a converted model, so a stale model is never reused. */
function converterStamp(): string {
  const hash = createHash('sha256');
  const files = [...readdirSync(`${ROOT}converter`, { recursive: true, encoding: 'utf8' })].filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) hash.update(file).update(readFileSync(`${ROOT}converter/${file}`));
  return hash.update(readFileSync(`${ROOT}src/model-metadata.ts`)).digest('hex');
}

/**
 * The converted synthetic-weights model (the reference's seedA) for `dtype`, converted once and
 * reused by later tests and runs until the converter's sources change.
 */
export async function syntheticModelDir(dtype: WeightDType = 'float32'): Promise<string> {
  const dir = join(TEST_MODELS, `synthetic-${dtype}`);
  const stampFile = join(dir, 'converter-stamp.txt');
  const stamp = converterStamp();
  if (!existsSync(join(dir, 'model.json')) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    await convertCheckpoint(inMemoryCheckpoint(syntheticStateDict()), SYNTHETIC_SOURCE, { outDir: dir, dtype, force: true });
    writeFileSync(stampFile, stamp);
  }
  return dir;
}

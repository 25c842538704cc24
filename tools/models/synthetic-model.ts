import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WeightDType } from '../../converter/transform/quantize.js';
import { convertSyntheticModel } from '../../converter/synthetic/convert-synthetic.js';
import { ROOT, TEST_MODELS } from '../paths.js';

/** Hash of every source file that shapes a converted model, so a stale model is never reused. */
function converterStamp(): string {
  const hash = createHash('sha256');
  const files = [...readdirSync(`${ROOT}converter`, { recursive: true, encoding: 'utf8' })].filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) hash.update(file).update(readFileSync(`${ROOT}converter/${file}`));
  for (const file of ['model-metadata.ts', 'probe-image.ts']) hash.update(readFileSync(`${ROOT}shared/${file}`));
  return hash.digest('hex');
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
    await convertSyntheticModel(dir, dtype);
    writeFileSync(stampFile, stamp);
  }
  return dir;
}

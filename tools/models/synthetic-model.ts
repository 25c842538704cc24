import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WeightDType } from '../../converter/transform/quantize.js';
import { GRAPH_PASS_NAMES } from '../../converter/graph/passes/graph-passes.js';
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

/** Converts into `dir` unless it holds `file` from the current converter sources. */
async function convertedOnce(dir: string, file: string, convert: () => Promise<unknown>): Promise<string> {
  const stampFile = join(dir, 'converter-stamp.txt');
  const stamp = converterStamp();
  if (!existsSync(join(dir, file)) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    await convert();
    writeFileSync(stampFile, stamp);
  }
  return dir;
}

/**
 * The converted synthetic-weights model (the reference's seedA) for `dtype`, converted once and
 * reused by later tests and runs until the converter's sources change.
 */
export function syntheticModelDir(dtype: WeightDType = 'float32'): Promise<string> {
  const dir = join(TEST_MODELS, `synthetic-${dtype}`);
  return convertedOnce(dir, 'model.json', () => convertSyntheticModel(dir, dtype));
}

/** The same weights with every graph pass, the sibling 1×1 convs fused among them (fp32). */
export function syntheticFusedModelDir(): Promise<string> {
  const dir = join(TEST_MODELS, 'synthetic-fused');
  return convertedOnce(dir, 'model.json', () => convertSyntheticModel(dir, 'float32', { graphPasses: GRAPH_PASS_NAMES }));
}

/** The same weights as one fp32 `model.tflite` (for LiteRT.js), cached the same way; returns its folder. */
export function syntheticTfliteDir(): Promise<string> {
  const dir = join(TEST_MODELS, 'synthetic-tflite');
  return convertedOnce(dir, 'model.tflite', () => convertSyntheticModel(dir, 'float32', { format: 'tflite' }));
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertFile } from '../../converter/convert-file.js';
import { FIXTURES } from '../../tools/paths.js';

/** Checkpoints saved the way training scripts save them, by real PyTorch (converter/reference/make_finetune_fixtures.py). */
export const FINETUNE = `${FIXTURES}/finetune`;

export interface FinetuneCase {
  readonly labels: string[];
  readonly normalization: 'inception' | 'imagenet';
  /** PyTorch's logits for the 4 seedA images, one row each (absent for the embedding-only case). */
  readonly logits?: number[][];
  /** PyTorch's 2048-d pooled features, for the embedding-only case. */
  readonly embedding?: number[][];
}

export type FinetuneCaseName = 'ft7' | 'binary' | 'imagenet_norm' | 'ema_compiled' | 'embedding';

export const FINETUNE_CASES = (JSON.parse(readFileSync(`${FINETUNE}/expected.json`, 'utf8')) as { cases: Record<FinetuneCaseName, FinetuneCase> }).cases;

/** The 7-class checkpoint's labels file: ImageFolder's class_to_idx with its keys out of index order. */
export const FT7_LABELS_FILE = `${FINETUNE}/ft7_class_to_idx.json`;

/** Converts a case's checkpoint into `parent/<name>` (the 7-class one with its labels file) and returns that directory. */
export async function convertFinetuneCase(name: FinetuneCaseName, parent: string): Promise<string> {
  const outDir = join(parent, name);
  await convertFile(join(FINETUNE, `${name}.pth`), { outDir, ...(name === 'ft7' && { labels: FT7_LABELS_FILE }) });
  return outDir;
}

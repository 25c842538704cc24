/**
 * Puts a model where the demo looks for one.
 *
 *   npm run model                 download the torchvision checkpoint and convert it to
 *                                 public/models/inception_v3/ (fails without internet)
 *   tsx scripts/prepare-model.ts --if-missing
 *                                 what `npm run demo` and `npm run build` run first: nothing when
 *                                 the real model is there; else try the download, and when that
 *                                 fails make the synthetic test model (public/models/synthetic/),
 *                                 which the page runs under a "predictions mean nothing" banner
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertSyntheticModel } from '../converter/synthetic/convert-synthetic.js';
import { reportError } from '../cli/cli-errors.js';
import { runConvert } from '../cli/convert-command.js';

const MODELS = fileURLToPath(new URL('../public/models/', import.meta.url));
const REAL_MODEL = `${MODELS}inception_v3`;
const SYNTHETIC_MODEL = `${MODELS}synthetic`;

async function convertRealWeights(): Promise<boolean> {
  try {
    return (await runConvert(['--from', 'torchvision', '--out', REAL_MODEL, '--force'])) === 0;
  } catch (error) {
    reportError(error);
    return false;
  }
}

async function ensureSyntheticModel(): Promise<void> {
  if (!existsSync(`${SYNTHETIC_MODEL}/model.json`)) {
    await convertSyntheticModel(SYNTHETIC_MODEL);
  }
  console.warn(
    `\nNo real weights: the demo will run the synthetic test model in ${SYNTHETIC_MODEL}/ and say that its\n` +
      "predictions mean nothing. Run 'npm run model' with internet access to convert the torchvision weights.\n",
  );
}

async function main(ifMissing: boolean): Promise<number> {
  if (ifMissing && existsSync(`${REAL_MODEL}/model.json`)) return 0;
  if (await convertRealWeights()) return 0;
  if (!ifMissing) return 1;
  await ensureSyntheticModel();
  return 0;
}

process.exitCode = await main(process.argv.includes('--if-missing'));

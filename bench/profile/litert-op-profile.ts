/**
 * `npm run bench -- profile-litert`: our WASM path against LiteRT.js, op by op, on the same shapes.
 * Our kernels are timed by tf.profile in the benchmark page (WASM, 1 thread); each becomes a
 * one-operator .tflite written by our converter's encoder, which LiteRT.js (WASM, XNNPACK,
 * 1 thread) times in a fresh page of the same browser. Both whole models are timed too, so the
 * per-op figures can be checked against what they add up to.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTflite } from '../../converter/write/tflite/encode-tflite.js';
import { openBrowser } from '../inference/browser-contender.js';
import { PAGE_PATHS } from '../inference/page/page-paths.js';
import { machine } from '../machine.js';
import { liteRtProfileReport, type LiteRtProfile } from '../report/litert-profile-report.js';
import { writeResult } from '../results.js';
import type { OursKernelTimes } from './page-op-timings.js';
import { singleOpSource, type KernelRecord, type SingleOpModel } from './single-op-models.js';

const key = (k: KernelRecord) => JSON.stringify([k.name, k.inputShapes, k.outputShape]);

/** One single-op model per distinct kernel (Mixed blocks repeat shapes), written into `dir`. */
function writeSingleOpModels(kernels: readonly KernelRecord[], dir: string): Map<string, SingleOpModel> {
  const models = new Map<string, SingleOpModel>();
  for (const kernel of kernels) {
    const id = key(kernel);
    if (models.has(id)) continue;
    const made = singleOpSource(kernel);
    if (!made) continue;
    const file = `op${models.size}.tflite`;
    writeFileSync(join(dir, file), encodeTflite(made.source));
    models.set(id, { file, inputs: made.inputs });
  }
  return models;
}

export async function runLiteRtOpProfile(quick: boolean): Promise<void> {
  const rounds = quick ? 1 : 5;
  const opsDir = mkdtempSync(join(tmpdir(), 'iw-litert-ops-'));
  const session = await openBrowser('wasm-only', false, { [PAGE_PATHS.ops]: opsDir });
  try {
    const oursPage = await session.newPage();
    const ours: OursKernelTimes = await oursPage.evaluate((r) => window.benchPage.oursKernelTimes(r), rounds);
    await oursPage.context().close();
    const models = writeSingleOpModels(ours.kernels, opsDir);
    const ordered = [...models.entries()];
    const litertPage = await session.newPage();
    const litert = await litertPage.evaluate(([list, r]) => window.benchPage.liteRtOpTimes(list, r), [ordered.map(([, m]) => m), rounds] as const);
    await litertPage.context().close();
    const litertMs = new Map(ordered.map(([id], i) => [id, litert.opMs[i] as number]));
    const profile: LiteRtProfile = {
      machine: machine(),
      browser: `Chromium ${session.browser.version()}`,
      rounds,
      oursInferenceMs: ours.inferenceMs,
      litertInferenceMs: litert.inferenceMs,
      kernels: ours.kernels.map((k) => ({ ...k, litertMs: litertMs.get(key(k)) ?? null })),
    };
    writeResult('litert-op-profile.json', `${JSON.stringify(profile, null, 2)}\n`);
    writeResult('litert-op-profile.md', liteRtProfileReport(profile));
    console.log(`op profile vs LiteRT.js: ours ${ours.inferenceMs.toFixed(0)} ms, LiteRT.js ${litert.inferenceMs.toFixed(0)} ms per inference (WASM, 1 thread)`);
  } finally {
    await session.close();
    rmSync(opsDir, { recursive: true, force: true });
  }
}

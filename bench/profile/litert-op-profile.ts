/**
 * `npm run bench -- profile-litert`: our WASM path against LiteRT.js, op by op, on the same shapes.
 * Our kernels are timed by tf.profile in the benchmark page (WASM, 1 thread); each becomes a
 * one-operator .tflite written by our converter's encoder, which LiteRT.js (WASM, XNNPACK,
 * 1 thread) times in another page of the same browser. Both whole models are timed too, so the
 * per-op figures can be checked against what they add up to, and LiteRT.js's build without
 * relaxed SIMD runs the whole model in a third page. The pages' rounds are interleaved.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { encodeTflite } from '../../converter/write/tflite/encode-tflite.js';
import { openBrowser } from '../inference/browser-contender.js';
import { PAGE_PATHS } from '../inference/page/page-paths.js';
import { machine } from '../machine.js';
import { liteRtProfileReport, type LiteRtProfile } from '../report/litert-profile-report.js';
import { writeResult } from '../results.js';
import { median, pairedRatio } from '../stats.js';
import type { LiteRtRound, OursRound } from './page-op-timings.js';
import { singleOpSource, type KernelRecord, type SingleOpModel } from './single-op-models.js';

const key = (k: KernelRecord) => JSON.stringify([k.name, k.inputShapes, k.outputShape]);

/** LiteRT.js's build for browsers without relaxed SIMD: TF.js's WASM binary has plain SIMD128 only. */
const COMPAT_BINARY = 'litert_wasm_compat_internal.js';

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

/** The round of each page, in turn, reversed every other round; each first call (loading, warm-up) untimed. */
async function interleaveRounds(rounds: number, steps: readonly (() => Promise<unknown>)[]): Promise<unknown[][]> {
  for (const step of steps) await step();
  const samples = steps.map((): unknown[] => []);
  const order = steps.map((_, i) => i);
  for (let round = 0; round < rounds; round++) {
    for (const i of round % 2 === 0 ? order : [...order].reverse()) samples[i]?.push(await (steps[i] as () => Promise<unknown>)());
  }
  return samples;
}

export async function runLiteRtOpProfile(quick: boolean): Promise<void> {
  const rounds = quick ? 1 : 7;
  const opsDir = mkdtempSync(join(tmpdir(), 'iw-litert-ops-'));
  const session = await openBrowser('wasm-only', false, { [PAGE_PATHS.ops]: opsDir });
  const pages: Page[] = [];
  const page = async () => {
    pages.push(await session.newPage());
    return pages.at(-1) as Page;
  };
  try {
    const oursPage = await page();
    const oursRound = () => oursPage.evaluate(() => window.benchPage.oursRound());
    const first = await oursRound();
    const models = writeSingleOpModels(first.kernels, opsDir);
    const list = [...models.values()];
    const [litertPage, compatPage] = [await page(), await page()];
    const [oursRuns, litertRuns, compatRuns] = (await interleaveRounds(rounds, [
      oursRound,
      () => litertPage.evaluate((m) => window.benchPage.liteRtRound(m), list),
      () => compatPage.evaluate((binary) => window.benchPage.liteRtRound([], binary), COMPAT_BINARY),
    ])) as [OursRound[], LiteRtRound[], LiteRtRound[]];
    const whole = (runs: readonly { inferenceMs: number }[]) => runs.map((r) => r.inferenceMs);
    const slot = new Map([...models.keys()].map((id, i) => [id, i]));
    const profile: LiteRtProfile = {
      machine: machine(),
      browser: `Chromium ${session.browser.version()}`,
      rounds,
      oursInferenceMs: median(whole(oursRuns)),
      litertInferenceMs: median(whole(litertRuns)),
      litertCompatInferenceMs: median(whole(compatRuns)),
      oursOverLitert: pairedRatio(whole(oursRuns), whole(litertRuns)),
      oursOverCompat: pairedRatio(whole(oursRuns), whole(compatRuns)),
      kernels: first.kernels.map((k, i) => {
        const at = slot.get(key(k));
        return {
          ...k,
          ms: median(oursRuns.map((r) => r.kernels[i]?.ms ?? Number.NaN)),
          litertMs: at === undefined ? null : median(litertRuns.map((r) => r.opMs[at] ?? Number.NaN)),
        };
      }),
    };
    writeResult('litert-op-profile.json', `${JSON.stringify(profile, null, 2)}\n`);
    writeResult('litert-op-profile.md', liteRtProfileReport(profile));
    console.log(`op profile vs LiteRT.js: ours ${profile.oursInferenceMs.toFixed(0)} ms, LiteRT.js ${profile.litertInferenceMs.toFixed(0)} ms per inference (WASM, 1 thread)`);
  } finally {
    for (const p of pages) await p.context().close();
    await session.close();
    rmSync(opsDir, { recursive: true, force: true });
  }
}

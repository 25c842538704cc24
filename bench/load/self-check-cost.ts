/**
 * `npm run bench -- self-check`: what the self-check and the measured 'auto' choice cost at load,
 * in Chromium without a usable GPU (WebGL on SwiftShader, which 'auto' passes over, so WASM is
 * the one candidate). Each round opens a fresh browser context (an empty model cache: a device
 * seen for the first time) and loads the synthetic model four times:
 *   first (warm-up on), again (warm-up on), first and again with warm-up off.
 * Prints and writes bench/results/self-check.json with the medians.
 */
import type { Page } from 'playwright-core';
import type { BackendReport, LoadOptions, LoadTimings } from '../../src/index.js';
import { openBrowser } from '../inference/browser-contender.js';
import { median } from '../stats.js';

const ROUNDS = 5;

interface LoadCost {
  readonly timings: LoadTimings;
  readonly backendReport: BackendReport;
}

const CASES = [
  { name: 'first load on the device, warm-up on', options: { warmup: true }, fresh: true },
  { name: 'later load, warm-up on', options: { warmup: true }, fresh: false },
  { name: 'first load on the device, warm-up off', options: { warmup: false }, fresh: true },
  { name: 'later load, warm-up off', options: { warmup: false }, fresh: false },
  { name: 'warm-up off, selfCheck: false (before the self-check)', options: { warmup: false, selfCheck: false }, fresh: true },
] as const;

const loadOnce = (page: Page, options: Partial<LoadOptions>): Promise<LoadCost> =>
  page.evaluate((o) => (window as unknown as { benchPage: { loadOnce(o: Partial<LoadOptions>): Promise<LoadCost> } }).benchPage.loadOnce(o), options);

export interface SelfCheckCostRow {
  readonly case: string;
  readonly backend: string;
  readonly selfCheck: string;
  readonly extraInferences: number;
  readonly medianTotalMs: number;
  readonly medianWarmupMs: number;
  readonly medianMeasureMs: number;
}

export async function runSelfCheckCostBenchmark(): Promise<SelfCheckCostRow[]> {
  const session = await openBrowser('webgl', false);
  const samples = new Map<string, LoadCost[]>(CASES.map((c) => [c.name, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      let page = await session.newPage();
      for (const c of CASES) {
        if (c.fresh) page = await session.newPage();
        // Every load after the first in a context reads the model from the cache, so the
        // first one is made untimed: each case then compares cache loads only.
        if (c.fresh) await loadOnce(page, { warmup: false, selfCheck: false, measureBackends: false });
        samples.get(c.name)?.push(await loadOnce(page, c.options));
      }
    }
  } finally {
    await session.close();
  }
  return CASES.map((c) => {
    const runs = samples.get(c.name) ?? [];
    const report = runs[0]?.backendReport;
    return {
      case: c.name,
      backend: report?.backend ?? '?',
      selfCheck: report?.selfCheck ? `${report.selfCheck.status}${report.selfCheck.cached ? ' (remembered)' : ''}` : 'off',
      extraInferences: report?.extraInferences ?? 0,
      medianTotalMs: median(runs.map((r) => r.timings.totalMs)),
      medianWarmupMs: median(runs.map((r) => r.timings.warmupMs)),
      medianMeasureMs: median(runs.map((r) => r.timings.measureMs)),
    };
  });
}

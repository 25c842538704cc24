/**
 * `npm run bench -- pool`: classifyMany throughput in one headless Chromium (no GPU) of a pool of
 * 2 single-threaded WASM workers and of one such worker, on a page without cross-origin isolation,
 * and of one worker running threaded WASM (2 threads) on an isolated page; the same images each
 * round, contenders interleaved. Also the memory each pool worker adds to the renderer, per dtype.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../tools/browser/browser.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { pageMounts } from '../inference/browser-contender.js';
import { interleave } from '../inference/interleave.js';
import { PAGE_PATHS } from '../inference/page/page-paths.js';
import { machine } from '../machine.js';
import { median, pairedRatio } from '../stats.js';
import type { PoolContenderInfo, PoolContenderSpec } from './pool-page.js';

const IMAGES_PER_ROUND = 16;
const DTYPES = ['float32', 'float16', 'uint8'] as const;

interface Contender {
  readonly name: string;
  readonly page: Page;
  readonly info: PoolContenderInfo;
}

async function openPage(browser: Browser, server: StaticServer): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => window.benchReady === true);
  return page;
}

async function contender(browser: Browser, server: StaticServer, name: string, spec: Omit<PoolContenderSpec, 'modelUrl' | 'wasmPaths'>): Promise<Contender> {
  const page = await openPage(browser, server);
  const full: PoolContenderSpec = { ...spec, modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm };
  const info = await page.evaluate(({ s, n }) => window.poolBench.load(s, n), { s: full, n: IMAGES_PER_ROUND });
  return { name, page, info };
}

/** Resident memory of the browser's renderer processes (where pages and their workers run), in MB. */
async function rendererRssMB(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + rssKb(p.id), 0) / 1024;
  } finally {
    await cdp.detach();
  }
}

/** What a pool of 2 adds to the renderer, per worker, once loaded and after a round of work. */
async function megabytesPerWorker(browser: Browser, server: StaticServer, dtype: (typeof DTYPES)[number]): Promise<number> {
  const page = await openPage(browser, server);
  try {
    const before = await rendererRssMB(browser);
    const spec: PoolContenderSpec = { kind: 'pool', size: 2, modelUrl: `/models/${dtype}/model.json`, wasmPaths: PAGE_PATHS.wasm };
    await page.evaluate(({ s, n }) => window.poolBench.load(s, n), { s: spec, n: 4 });
    await page.evaluate(() => window.poolBench.round());
    return ((await rendererRssMB(browser)) - before) / 2;
  } finally {
    await page.context().close();
  }
}

export async function runPoolBenchmark(quick: boolean) {
  const dtypeMounts = Object.fromEntries(await Promise.all(DTYPES.map(async (d) => [`/models/${d}/`, await syntheticModelDir(d)] as const)));
  const mounts = { ...(await pageMounts()), ...dtypeMounts };
  const plain = await startStaticServer({ mounts });
  const isolated = await startStaticServer({ mounts, crossOriginIsolated: true });
  const browser = await launchChromium('wasm-only');
  try {
    const memoryMB: Record<string, number> = {};
    for (const dtype of DTYPES) memoryMB[dtype] = Math.round(await megabytesPerWorker(browser, plain, dtype));
    const contenders = [
      await contender(browser, plain, 'pool of 2 single-threaded WASM workers', { kind: 'pool', size: 2 }),
      await contender(browser, plain, 'one single-threaded WASM worker', { kind: 'worker', wasmThreads: 1 }),
      await contender(browser, isolated, 'one worker, threaded WASM (2 threads, cross-origin isolated page)', { kind: 'worker', wasmThreads: 2 }),
    ];
    const plan = { batch: IMAGES_PER_ROUND, rounds: quick ? 1 : 5, warmup: quick ? 0 : 1 };
    const samples = await interleave(contenders.map((c) => ({ run: () => c.page.evaluate(() => window.poolBench.round()) })), plan);
    const [pool = [], one = [], threaded = []] = samples;
    return {
      machine: machine(),
      ...(quick && { note: 'QUICK SMOKE RUN, one round: not a measurement' }),
      imagesPerRound: IMAGES_PER_ROUND,
      rounds: plan.rounds,
      contenders: contenders.map((c, i) => ({
        name: c.name,
        ...c.info,
        samplesMs: samples[i]?.map((ms) => Math.round(ms)),
        imagesPerSecond: Number(((IMAGES_PER_ROUND * 1000) / median(samples[i] ?? [])).toFixed(2)),
      })),
      // Medians of per-round ratios of times: how many times faster the pool was in the same round.
      poolVsOneWorker: Number(pairedRatio(one, pool).toFixed(2)),
      poolVsThreadedWasm: Number(pairedRatio(threaded, pool).toFixed(2)),
      megabytesPerWorker: memoryMB,
    };
  } finally {
    await browser.close();
    await Promise.all([plain.close(), isolated.close()]);
  }
}

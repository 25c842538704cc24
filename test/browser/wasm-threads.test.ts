/**
 * Multithreaded WASM in a production (minified) Vite build, served cross-origin isolated. The
 * harness is built with inception-webgpu/vite (the built dist/src/vite/tfjs-wasm-threads.js), the plugin users add to their Vite config:
 * without it every pthread worker dies with "ReferenceError: e is not defined" and loading hangs.
 * Also the wasmThreads option: TF.js alone starts half of navigator.hardwareConcurrency threads.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BackendReport, LoadOptions } from '../../src/index.js';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, photoLogits } from '../../tools/reference/photo-logits.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { PAGE_PATHS } from './harness/page-paths.js';
import { openSdkPage, photoUrl, SEED_A_TOLERANCE } from './sdk-page.js';

// Pages report 2 cores whatever the machine has, through the prototype's getter as browsers do:
// TF.js's own choice is then 1 thread, so getting 2 proves that wasmThreads lifted the cap.
const TWO_CORES = "Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 })";

interface ThreadedPage {
  readonly page: Page;
  readonly console: string[];
}

interface PageAfterLoad {
  readonly reports: BackendReport[];
  readonly isolated: boolean;
  readonly multithread: boolean;
  /** getThreadsCount() straight from TF.js, not through the SDK. */
  readonly tfjsThreads: number;
  readonly hardwareConcurrency: number;
  /** Whether navigator kept an own hardwareConcurrency property (the SDK's override) after loading. */
  readonly overrideLeft: boolean;
}

let session: HarnessSession;
let threaded: ThreadedPage;
let loaded: PageAfterLoad;

/** A fresh page (own context, so a WASM backend not yet initialised) that reports 2 cores. */
async function twoCorePage(): Promise<ThreadedPage> {
  const page = await session.browser.newPage();
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  await page.addInitScript({ content: TWO_CORES });
  await page.goto(`${session.server.url}/index.html`);
  await page.waitForFunction(() => window.harnessReady === true);
  return { page, console: lines };
}

/** `work`, unless the page throws first: dead pthread workers make loading hang, not fail. */
function failOnPageError<T>({ page, console }: ThreadedPage, work: Promise<T>): Promise<T> {
  let onError = (_error: Error): void => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    onError = (error) => reject(new Error(`uncaught error in the page (${error.message}); its console ends:\n${console.slice(-3).join('\n')}`));
    page.once('pageerror', onError);
  });
  return Promise.race([work, failed]).finally(() => page.off('pageerror', onError));
}

/** Loads each [name, options] in turn in the page, then reports what the page looks like. */
function loadAll(target: ThreadedPage, loads: readonly (readonly [string, Partial<LoadOptions>])[]): Promise<PageAfterLoad> {
  const loading = target.page.evaluate(async (list) => {
    const reports: BackendReport[] = [];
    for (const [name, options] of list) reports.push((await window.sdkFixtures.load(name, options)).backendReport);
    return {
      reports,
      isolated: window.crossOriginIsolated,
      multithread: (await window.tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean,
      tfjsThreads: await window.sdkFixtures.wasmThreads(),
      hardwareConcurrency: navigator.hardwareConcurrency,
      overrideLeft: Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency') !== undefined,
    };
  }, loads);
  return failOnPageError(target, loading);
}

beforeAll(async () => {
  session = await openSdkPage('wasm-only', { crossOriginIsolated: true });
  threaded = await twoCorePage();
  loaded = await loadAll(threaded, [
    ['raw', { preprocess: 'none', warmup: false, wasmThreads: 2 }],
    ['photos', { warmup: false, wasmThreads: 2 }],
  ]);
}, 180_000);
afterAll(() => session?.close());

it('the page is cross-origin isolated and wasmThreads: 2 runs the threaded build on 2 threads where TF.js alone starts 1', () => {
  expect(loaded).toMatchObject({ isolated: true, multithread: true, tfjsThreads: 2 });
  expect(loaded.reports.map(({ backend, wasmThreads }) => ({ backend, wasmThreads }))).toEqual([
    { backend: 'wasm', wasmThreads: 2 },
    { backend: 'wasm', wasmThreads: 2 },
  ]);
  expect(session.server.requests).toContain(`${PAGE_PATHS.wasm}tfjs-backend-wasm-threaded-simd.wasm`);
});

it('leaves navigator.hardwareConcurrency as it was once loaded', () => {
  expect(loaded).toMatchObject({ hardwareConcurrency: 2, overrideLeft: false });
});

it('gives PyTorch’s results, with no worker failing on the way', async () => {
  const [seedA = [], photo = []] = await threaded.page.evaluate(async (url) => {
    const [[raw = []], [fromPhoto = []]] = await Promise.all([
      window.sdkFixtures.logits('raw', [await window.sdkFixtures.seedA(0)]),
      window.sdkFixtures.logits('photos', [url]),
    ]);
    return [raw, fromPhoto];
  }, photoUrl('astronaut.jpg'));
  expect(maxAbsDiff(seedA, seedALogits(0))).toBeLessThanOrEqual(SEED_A_TOLERANCE);
  expect(maxAbsDiff(photo, photoLogits('astronaut.jpg'))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
  expect(topK(photo, 1)).toEqual(topK(photoLogits('astronaut.jpg'), 1));
  expect(threaded.console.filter((line) => line.startsWith('pageerror') || line.includes('worker sent an error'))).toEqual([]);
});

it("wasmThreads: 'auto' (the default) keeps TF.js's own choice, half the reported cores; the first load that starts the backend decides", async () => {
  const page = await twoCorePage();
  try {
    const auto = await loadAll(page, [
      ['raw', { preprocess: 'none', warmup: false }],
      ['later', { preprocess: 'none', warmup: false, wasmThreads: 2 }],
    ]);
    expect(auto.reports).toMatchObject([{ backend: 'wasm', wasmThreads: 1 }, { backend: 'wasm', wasmThreads: 1 }]);
    expect(auto).toMatchObject({ multithread: true, tfjsThreads: 1, hardwareConcurrency: 2, overrideLeft: false });
  } finally {
    await page.page.close();
  }
});

it('loadWorkerClassifier takes wasmThreads to its worker and reports the threads the worker runs', async () => {
  // The init script does not reach workers: there navigator reports this machine's cores (2 here,
  // so TF.js alone would start 1).
  const report = await threaded.page.evaluate(async (options) => {
    const classifier = await window.sdk.loadWorkerClassifier(options);
    classifier.dispose();
    return classifier.backendReport;
  }, { modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, backend: 'wasm', warmup: false, cache: false, wasmThreads: 2 } as const);
  expect(report).toMatchObject({ backend: 'wasm', skipped: [], notes: [], wasmThreads: 2, choice: 'explicit' });
  // Without a warm-up, the self-check's probe is the one inference the load runs.
  expect(report.selfCheck).toMatchObject({ status: 'passed', cached: false });
  expect(report.extraInferences).toBe(1);
});

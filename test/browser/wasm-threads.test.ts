/**
 * Multithreaded WASM in a production (minified) Vite build, served cross-origin isolated. The
 * harness is built with src/vite/tfjs-wasm-threads.ts, the plugin users add to their Vite config:
 * without it every pthread worker dies with "ReferenceError: e is not defined" and loading hangs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff, topK } from '../helpers/logit-compare.js';
import { PHOTO_TOLERANCE, photoLogits } from '../helpers/photo-logits.js';
import { seedALogits } from '../helpers/seed-a.js';
import { PAGE_PATHS } from './harness/page-paths.js';
import type { LoadSummary } from './harness/sdk-fixtures.js';
import { openSdkPage, photoUrl, SEED_A_TOLERANCE } from './sdk-page.js';

// TF.js starts half as many threads as navigator.hardwareConcurrency says; on a two-core CI
// machine that is one, which would prove nothing. Four cores, as on a small laptop, give several.
const FOUR_CORES = "Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 })";

let session: HarnessSession;
let loaded: LoadSummary;

/** `work`, unless the page throws first: dead pthread workers make loading hang, not fail. */
function failOnPageError<T>({ page, console }: HarnessSession, work: Promise<T>): Promise<T> {
  let onError = (_error: Error): void => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    onError = (error) => reject(new Error(`uncaught error in the page (${error.message}); its console ends:\n${console.slice(-3).join('\n')}`));
    page.once('pageerror', onError);
  });
  return Promise.race([work, failed]).finally(() => page.off('pageerror', onError));
}

beforeAll(async () => {
  session = await openSdkPage('wasm-only', { crossOriginIsolated: true });
  await session.page.addInitScript({ content: FOUR_CORES });
  await session.page.reload();
  await session.page.waitForFunction(() => window.harnessReady === true);
  const loading = session.page.evaluate(async () => {
    const summary = await window.sdkFixtures.load('raw', { preprocess: 'none', warmup: false });
    await window.sdkFixtures.load('photos', { warmup: false });
    return summary;
  });
  loaded = await failOnPageError(session, loading);
}, 180_000);
afterAll(() => session?.close());

it('the page is cross-origin isolated and the WASM backend runs the threaded build on several threads', async () => {
  const page = await session.page.evaluate(async () => ({
    isolated: window.crossOriginIsolated,
    multithread: await window.tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    threads: await window.sdkFixtures.wasmThreads(),
  }));
  expect(loaded.backendReport.backend).toBe('wasm');
  expect(page).toMatchObject({ isolated: true, multithread: true });
  expect(page.threads).toBeGreaterThan(1);
  expect(session.server.requests).toContain(`${PAGE_PATHS.wasm}tfjs-backend-wasm-threaded-simd.wasm`);
});

it('gives PyTorch’s results, with no worker failing on the way', async () => {
  const [seedA = [], photo = []] = await session.page.evaluate(async (url) => {
    const [[raw = []], [fromPhoto = []]] = await Promise.all([
      window.sdkFixtures.logits('raw', [await window.sdkFixtures.seedA(0)]),
      window.sdkFixtures.logits('photos', [url]),
    ]);
    return [raw, fromPhoto];
  }, photoUrl('astronaut.jpg'));
  expect(maxAbsDiff(seedA, seedALogits(0))).toBeLessThanOrEqual(SEED_A_TOLERANCE);
  expect(maxAbsDiff(photo, photoLogits('astronaut.jpg'))).toBeLessThanOrEqual(PHOTO_TOLERANCE);
  expect(topK(photo, 1)).toEqual(topK(photoLogits('astronaut.jpg'), 1));
  expect(session.console.filter((line) => line.startsWith('pageerror') || line.includes('worker sent an error'))).toEqual([]);
});

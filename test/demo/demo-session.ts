import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, JSHandle, Page } from 'playwright-core';
import { launchChromium, type BrowserMode } from '../../tools/browser/browser.js';
import { FIXTURES, ROOT } from '../../tools/paths.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

/** The production build the tests run: what `npm run build` deploys, minified. */
export const DEMO_BUILD = `${ROOT}.cache/demo-build`;
export const SCREENSHOTS = `${ROOT}test-results/demo`;
const SOURCES = ['demo', 'src', 'vite.config.ts'].map((p) => `${ROOT}${p}`);

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Builds the demo with the project's vite.config.ts, unless a build newer than every source exists. */
export function buildDemo(): string {
  const index = `${DEMO_BUILD}/index.html`;
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...SOURCES.map(newestChange))) return DEMO_BUILD;
  // Vitest sets NODE_ENV=test, which would make Vite build a development bundle.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '--outDir', DEMO_BUILD, '--logLevel', 'warn'], { cwd: ROOT, env, stdio: 'inherit' });
  return DEMO_BUILD;
}

/**
 * Serves the built demo cross-origin isolated (as the README asks of static hosts), with no real
 * model and, unless `model` is 'none', the synthetic test model where `npm run model` would put it.
 */
export async function serveDemo(model: 'synthetic' | 'none' = 'synthetic'): Promise<StaticServer> {
  const nowhere = `${DEMO_BUILD}/no-such-model/`;
  const synthetic = model === 'synthetic' ? await syntheticModelDir('float32') : nowhere;
  return startStaticServer({ mounts: { '/': buildDemo(), '/models/inception_v3/': nowhere, '/models/synthetic/': synthetic }, crossOriginIsolated: true });
}

export interface DemoPage {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console lines, worker ones included, for diagnosing failures. */
  readonly console: string[];
}

/** Opens the demo in headless Chromium; long tasks on the main thread are recorded from the start. */
export async function openDemo(url: string, options: { mode?: BrowserMode; args?: string[]; context?: BrowserContextOptions } = {}): Promise<DemoPage> {
  const browser = await launchChromium(options.mode ?? 'webgl', options.args);
  const context = await browser.newContext({ acceptDownloads: true, ...options.context });
  const page = await context.newPage();
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  // Playwright turns file-chooser interception on when a page first gets a 'filechooser'
  // listener, with a message it does not wait for: a `waitForEvent('filechooser')` right before
  // the click can lose that race on a busy machine, and the chooser then never arrives. A
  // listener from the start keeps interception on for the page's whole life.
  page.on('filechooser', () => undefined);
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  return { browser, context, page, console: lines };
}

/** Waits until the backend indicator names a backend (`backend`, when given); returns it. */
export async function waitForModel(demo: DemoPage, backend?: string, timeout = 120_000): Promise<string> {
  const selector = backend ? `[data-testid=backend][data-backend=${backend}]` : '[data-testid=backend][data-backend]';
  try {
    const indicator = await demo.page.waitForSelector(selector, { timeout });
    return (await indicator.getAttribute('data-backend')) ?? '';
  } catch (error) {
    const status = await demo.page.textContent('#model-status').catch(() => '?');
    throw new Error(`no model on ${backend ?? 'any backend'}: page says '${status}'; console:\n${demo.console.join('\n')}`, { cause: error });
  }
}

export interface DropFile {
  readonly name: string;
  readonly bytes: Buffer;
}

const MIME: Record<string, string> = { '.jpg': 'image/jpeg', '.png': 'image/png', '.txt': 'text/plain' };

/** Builds the DataTransfer a drag of `files` would carry, in the page (decoding base64 there is slow, so it comes first). */
export async function stageFiles(page: Page, files: readonly DropFile[]): Promise<JSHandle<DataTransfer>> {
  const payload = files.map((f) => ({ name: f.name, type: MIME[extname(f.name)] ?? '', base64: f.bytes.toString('base64') }));
  return page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return transfer;
  }, payload);
}

/** Drops staged files on the drop zone (or the `zone` selector's) the way a person's drag does: a `drop` event carrying the DataTransfer. */
export async function dropStaged(page: Page, transfer: JSHandle<DataTransfer>, zone = '[data-testid=dropzone]'): Promise<void> {
  await page.evaluate(
    ([dataTransfer, selector]) => {
      const target = document.querySelector(selector) as HTMLElement;
      target.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
    },
    [transfer, zone] as const,
  );
}

export async function dropFiles(page: Page, files: readonly DropFile[], zone?: string): Promise<void> {
  await dropStaged(page, await stageFiles(page, files), zone);
}

export interface CardState {
  readonly file: string;
  readonly status: string;
  readonly top1: number | undefined;
  readonly text: string;
}

/** Waits until `count` cards have settled (done or error); returns them in grid order. */
export async function settledCards(page: Page, count: number, timeout = 120_000): Promise<CardState[]> {
  await page.waitForFunction(
    (n) => [...document.querySelectorAll<HTMLElement>('[data-testid=result]')].filter((card) => card.dataset.status !== 'queued').length >= n,
    count,
    { timeout },
  );
  return page.$$eval('[data-testid=result]', (cards) =>
    (cards as HTMLElement[]).map((card) => ({
      file: card.dataset.file ?? '',
      status: card.dataset.status ?? '',
      top1: card.dataset.top1Index ? Number(card.dataset.top1Index) : undefined,
      text: card.textContent ?? '',
    })),
  );
}

interface FixturePhoto {
  readonly file: string;
  readonly top1: number;
}

/** The repository's real photos with PyTorch's top-1 class for each under the synthetic model. */
export const FIXTURE_PHOTOS = (JSON.parse(readFileSync(`${FIXTURES}/photos/expected/index.json`, 'utf8')) as { photos: FixturePhoto[] }).photos;

export function fixturePhoto(file: string): DropFile {
  return { name: file, bytes: readFileSync(`${FIXTURES}/photos/${file}`) };
}

/** Saves a full-page screenshot under test-results/demo/ (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Thumbnails decode asynchronously: without this the picture can show empty cards a user never sees.
  await page.evaluate(() => Promise.all([...document.images].map((image) => image.decode().catch(() => undefined))));
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

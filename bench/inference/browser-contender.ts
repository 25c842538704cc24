/** Stacks hosted in headless Chromium pages, one browser context (own renderer, own cache) each. */
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, type BrowserMode } from '../../tools/browser/browser.js';
import { FIXTURES, ROOT, WASM_DIR } from '../../tools/paths.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir, syntheticTfliteDir } from '../../tools/models/synthetic-model.js';
import { remoteApi, type Contender } from './contender.js';
import { onnxModel } from './onnx-model.js';
import type { StackInfo, StackSpec } from './protocol.js';

const PAGE_DIR = `${ROOT}.cache/bench-page`;
// performance.memory is coarse and delayed unless asked for precise values.
const MEMORY_FLAGS = ['--enable-precise-memory-info'];

let pageBuilt = false;

/** Builds bench/inference/page with Vite (production) once per process. */
function buildPage(): string {
  if (!pageBuilt) {
    execFileSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '-c', `${ROOT}bench/inference/page/vite.config.ts`], { cwd: ROOT, stdio: 'inherit' });
    pageBuilt = true;
  }
  return PAGE_DIR;
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly server: StaticServer;
  /** A fresh context (own renderer process, own cache) on the benchmark page. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** What the benchmark page's server serves: the page, the three models, the runtimes' binaries, seedA. */
export async function pageMounts(): Promise<Record<string, string>> {
  return {
    '/': buildPage(),
    '/models/synthetic/': await syntheticModelDir('float32'),
    '/onnx/': dirname(onnxModel()),
    '/wasm/': WASM_DIR,
    '/ort/': `${ROOT}node_modules/onnxruntime-web/dist`,
    '/tflite/': await syntheticTfliteDir(),
    '/litert/': `${ROOT}node_modules/@litertjs/core/wasm`,
    '/seedA/': `${FIXTURES}/seedA`,
  };
}

/** Serves the benchmark page (pageMounts, and `extraMounts`) and launches Chromium in `mode`. */
export async function openBrowser(mode: BrowserMode, crossOriginIsolated: boolean, extraMounts: Readonly<Record<string, string>> = {}): Promise<BrowserSession> {
  const mounts = { ...extraMounts, ...(await pageMounts()) };
  const server = await startStaticServer({ mounts, crossOriginIsolated });
  const browser = await launchChromium(mode, MEMORY_FLAGS);
  const newPage = async (): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.benchReady === true);
    return page;
  };
  return {
    browser,
    server,
    newPage,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** The browser's version and what its pages offer (WebGPU adapter, WebGL renderer, isolation). */
export async function browserEnvironment(session: BrowserSession): Promise<StackInfo> {
  const page = await session.newPage();
  try {
    return { browser: `Chromium ${session.browser.version()}`, ...(await page.evaluate(() => window.benchPage.environment())) };
  } finally {
    await page.context().close();
  }
}

/** A stack in its own page; the page's console is kept to explain failures. */
export async function pageContender(session: BrowserSession, name: string, role: Contender['role'], spec: StackSpec): Promise<Contender> {
  const page = await session.newPage();
  const log: string[] = [];
  page.on('console', (message) => void log.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => void log.push(`pageerror: ${error.message}`));
  const explain = (error: unknown): Error => new Error(`${name}: ${String(error)}\npage console:\n${log.slice(-20).join('\n')}`);
  try {
    await page.evaluate((s) => window.benchPage.start(s), spec);
  } catch (error) {
    throw explain(error);
  }
  const api = remoteApi(name, (request) => page.evaluate((r) => window.benchPage.call(r), request).catch((error: unknown) => Promise.reject(explain(error))));
  return { name, role, api, close: () => page.context().close() };
}

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, type BrowserMode } from '../../tools/browser/browser.js';
import { ROOT, WASM_DIR } from '../../tools/paths.js';
import { startStaticServer, type StaticServer, type StaticServerOptions } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

export const HARNESS_DIR = `${ROOT}.cache/browser-harness`;

/** Hash of everything the harness bundle is built from: the SDK's sources (dist/ is rebuilt from them), the harness and its config, the lockfile. */
function harnessStamp(): string {
  const hash = createHash('sha256');
  for (const dir of ['shared', 'src', 'test/browser/harness']) {
    const files = readdirSync(`${ROOT}${dir}`, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|html)$/.test(f)).sort();
    for (const file of files) hash.update(file).update(readFileSync(`${ROOT}${dir}/${file}`));
  }
  for (const file of ['tools/browser/production-page-config.ts', 'package.json', 'tsconfig.build.json']) hash.update(readFileSync(`${ROOT}${file}`));
  return hash.update(readFileSync(`${ROOT}package-lock.json`)).digest('hex');
}

/**
 * Builds the library (dist/), then test/browser/harness on it with Vite (production, minified, as
 * an app would ship it), once: later test files and runs reuse the build until its sources change.
 */
export function buildHarness(): string {
  const stampFile = `${HARNESS_DIR}/harness-stamp.txt`;
  const stamp = harnessStamp();
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    // The harness imports the built package, so dist/ must match src/ first.
    execFileSync('npm', ['run', 'build:lib'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '-c', `${ROOT}test/browser/harness/vite.config.ts`], { cwd: ROOT, stdio: 'inherit' });
    writeFileSync(stampFile, stamp);
  }
  return HARNESS_DIR;
}

export interface HarnessSession {
  readonly browser: Browser;
  readonly page: Page;
  readonly server: StaticServer;
  /** Browser console lines, for diagnosing failures. */
  readonly console: string[];
  close(): Promise<void>;
}

/**
 * Serves the built harness (at /), the synthetic float32 model (at /models/synthetic/) and
 * TF.js's WASM binaries (at /wasm/), and opens the harness in Chromium launched in `mode`.
 */
export async function openHarness(mode: BrowserMode, serverOptions: Partial<StaticServerOptions> = {}, args: string[] = []): Promise<HarnessSession> {
  const mounts = { '/': buildHarness(), '/models/synthetic/': await syntheticModelDir('float32'), '/wasm/': WASM_DIR, ...serverOptions.mounts };
  const server = await startStaticServer({ ...serverOptions, mounts });
  const browser = await launchChromium(mode, args);
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => window.harnessReady === true);
  return {
    browser,
    page,
    server,
    console: consoleLines,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

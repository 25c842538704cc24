/**
 * The packed tarball in a Vite app with the README's vite.config.ts, under `vite dev`: the
 * library's own worker starts (TF.js pre-bundled for it), and its logits match PyTorch's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../tools/browser/browser.js';
import { createConsumerApp, readmeTsBlock, repoVersion, type ConsumerApp } from '../../tools/package/index.js';
import { FIXTURES } from '../../tools/paths.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

/** What tools/package/templates/vite-worker-app/src/main.ts puts on the page. */
interface SeedPage {
  classifySeed(): Promise<{ backend: string; logits: number[] }>;
}

/** float32 weights on WASM reach 2e-5 of PyTorch (README's weight-types table). */
const LOGIT_TOLERANCE = 1e-4;

let app: ConsumerApp;
let server: ChildProcess;
let browser: Browser;
let url: string;
const output: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Starts `vite` (dev) in the app and resolves once it serves the page. */
async function startViteDev(dir: string): Promise<string> {
  const port = await freePort();
  server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir });
  server.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 120; attempt++) {
    const ok = await fetch(origin).then((response) => response.ok, () => false);
    if (ok) return origin;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`vite dev did not start:\n${output.join('')}`);
}

beforeAll(async () => {
  app = createConsumerApp({ template: ['vite-app', 'vite-worker-app'], deps: { vite: repoVersion('vite') } });
  writeFileSync(join(app.dir, 'vite.config.ts'), readmeTsBlock('### Configure Vite'));
  const publicDir = join(app.dir, 'public');
  cpSync(await syntheticModelDir('float32'), join(publicDir, 'models', 'synthetic'), { recursive: true });
  cpSync(`${FIXTURES}/seedA/images_u8_nhwc_4x299x299x3.bin`, join(publicDir, 'seed.bin'));
  // Where the app serves TF.js's WASM binaries (wasmPaths), as the README's wasmPaths option says.
  const wasmDist = join(app.dir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  mkdirSync(join(publicDir, 'wasm'), { recursive: true });
  for (const file of readdirSync(wasmDist).filter((name) => name.endsWith('.wasm'))) cpSync(join(wasmDist, file), join(publicDir, 'wasm', file));
  url = await startViteDev(app.dir);
  browser = await launchChromium('wasm-only');
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
  app?.dispose();
});

it('vite dev serves the library’s worker with pre-bundled TF.js, and it matches PyTorch', async () => {
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as SeedPage).classifySeed === 'function');
  const result = await page.evaluate(() => (window as unknown as SeedPage).classifySeed()).catch((error: unknown) => {
    throw new Error(`${String(error)}\nconsole:\n${consoleLines.join('\n')}\nvite:\n${output.join('')}`);
  });
  expect(result.backend).toBe('wasm');
  expect(maxAbsDiff(result.logits, seedALogits(0))).toBeLessThanOrEqual(LOGIT_TOLERANCE);
  // Vite re-optimising mid-run (a dependency the config missed) reloads the page and kills the worker.
  expect(output.join('')).not.toMatch(/new dependencies optimized|optimized dependencies changed/i);
});

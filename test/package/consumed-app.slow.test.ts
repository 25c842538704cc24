/**
 * SLOW (npm install, two bundler builds): the package as an app consumes it. The packed tarball is
 * installed into fresh apps written from the README, built with Vite and with webpack 5 on their
 * defaults (no config, no wasmPaths), served, and run in Chromium without a GPU (WebGL only on
 * SwiftShader). 'auto' must pick WASM, a CSS-sized <img> of a JPEG with an ICC profile must give
 * PyTorch's logits, the worker example must work, and all of it under a strict
 * Content-Security-Policy; a policy that forbids WebAssembly or workers must be named in the error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerApp, repoVersion, type ConsumerApp } from '../../tools/package/index.js';
import { launchChromium } from '../../tools/browser/browser.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

const PHOTO = 'chelsea_adobergb.jpg';
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

interface AppError {
  readonly code?: string;
  readonly message: string;
}
interface AppResult {
  readonly error?: AppError;
  readonly backendReport?: { backend: string; skipped: { backend: string; reason: string }[]; notes: string[]; wasmThreads?: number };
  readonly backend?: string;
  readonly logits?: number[];
  readonly workerLogits?: number[];
  readonly packagedLogits?: number[];
  readonly loadMs?: number;
  readonly firstClassifyMs?: number;
  readonly shown?: { width: number; naturalWidth: number };
}

let browser: Browser;
const servers: StaticServer[] = [];

/** Copies the model and the photo where the app's README-style code looks for them. */
async function addAssets(dir: string): Promise<void> {
  cpSync(await syntheticModelDir('float32'), join(dir, 'models', 'synthetic'), { recursive: true });
  mkdirSync(join(dir, 'photos'), { recursive: true });
  cpSync(join(PHOTOS, PHOTO), join(dir, 'photos', 'photo.jpg'));
}

/** Serves `root`, with `csp` as the Content-Security-Policy of every response when given. */
async function serve(root: string, csp?: string, crossOriginIsolated = false): Promise<string> {
  const server = await startStaticServer({
    mounts: { '/': root },
    crossOriginIsolated,
    intercept: (_req, res) => {
      if (csp) res.setHeader('Content-Security-Policy', csp);
      return false;
    },
  });
  servers.push(server);
  return server.url;
}

/** Opens the app and waits for window.appResult, recording what the page printed. */
async function openApp(url: string): Promise<{ result: AppResult; console: string[] }> {
  const page = await browser.newPage();
  const console: string[] = [];
  page.on('console', (message) => console.push(message.text()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => 'appResult' in window, undefined, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { appResult: Promise<AppResult> }).appResult);
    return { result, console };
  } finally {
    await page.close();
  }
}

function expectPhotoLogits(logits: number[] | undefined): void {
  expect(logits).toHaveLength(1000);
  expect(maxAbsDiff(logits ?? [], photoLogits(PHOTO))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
}

function expectWasmChosenOverSoftwareGpu(result: AppResult): void {
  expect(result.error).toBeUndefined();
  expect(result.backendReport?.backend).toBe('wasm');
  expect(result.backendReport?.skipped).toEqual([
    { backend: 'webgpu', reason: expect.any(String) },
    { backend: 'webgl', reason: expect.stringMatching(/^software renderer swiftshader: slower than WASM$/i) },
  ]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once the process prints `pattern` (on either stream); rejects if it exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      // Without colour codes: under CI=true Vite colours its output even into a pipe.
      seen += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      if (pattern.test(seen)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}:\n${seen}`)));
  });
}

beforeAll(async () => {
  browser = await launchChromium('webgl');
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await browser?.close();
});

describe('a Vite app, built with no config', () => {
  let app: ConsumerApp;
  let dist: string;

  beforeAll(async () => {
    app = createConsumerApp({ template: 'photo-app', deps: { vite: repoVersion('vite') } });
    await addAssets(join(app.dir, 'public'));
    app.run('npx', ['vite', 'build']);
    dist = join(app.dir, 'dist');
  }, 600_000);
  afterAll(() => app?.dispose());

  it("emits TF.js's WASM binaries as assets", () => {
    expect(readdirSync(join(dist, 'assets')).filter((file) => file.endsWith('.wasm')).sort()).toEqual([
      expect.stringMatching(/^tfjs-backend-wasm-.*\.wasm$/),
      expect.stringMatching(/^tfjs-backend-wasm-simd-.*\.wasm$/),
      expect.stringMatching(/^tfjs-backend-wasm-threaded-simd-.*\.wasm$/),
    ]);
  });

  it("'auto' picks WASM over SwiftShader, and a CSS-sized <img> with an ICC profile gives PyTorch's logits", async () => {
    const { result } = await openApp(await serve(dist));
    expectWasmChosenOverSoftwareGpu(result);
    expect(result.shown).toEqual({ width: 120, naturalWidth: 451 });
    expectPhotoLogits(result.logits);
    console.log(`GPU-less Chromium, auto: load ${result.loadMs?.toFixed(0)} ms, first classification ${result.firstClassifyMs?.toFixed(0)} ms`);
  });

  it("the README's worker example and the package's own worker give the same answer", async () => {
    const { result } = await openApp(`${await serve(dist)}/?part=worker`);
    expect(result.error).toBeUndefined();
    expect(result.backend).toBe('wasm');
    expectPhotoLogits(result.logits);
    expectPhotoLogits(result.packagedLogits);
  });

  it(`runs under a strict Content-Security-Policy (${STRICT_CSP}), main thread and worker`, async () => {
    const url = await serve(dist, STRICT_CSP);
    const main = await openApp(url);
    expectWasmChosenOverSoftwareGpu(main.result);
    expectPhotoLogits(main.result.logits);
    const worker = await openApp(`${url}/?part=worker`);
    expect(worker.result.error).toBeUndefined();
    expectPhotoLogits(worker.result.logits);
    const violations = [...main.console, ...worker.console].filter((line) => /Content Security Policy/i.test(line));
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('cross-origin isolated under the strict policy, threaded WASM cannot start its blob: workers: it is abandoned after backendTimeoutMs and WASM runs on one thread, saying so', async () => {
    const { result } = await openApp(`${await serve(dist, STRICT_CSP, true)}/?backendTimeoutMs=8000`);
    expectWasmChosenOverSoftwareGpu(result);
    expect(result.backendReport?.notes).toEqual([expect.stringMatching(/^threaded WASM failed \(did not finish initialising within 8 s\), so WASM runs single-threaded/)]);
    expect(result.backendReport?.wasmThreads).toBe(1);
    expectPhotoLogits(result.logits);
  });

  it("a policy without 'wasm-unsafe-eval' fails backend: 'wasm' with an error naming the directive", async () => {
    const { result } = await openApp(`${await serve(dist, "default-src 'self'; script-src 'self'")}/?backend=wasm`);
    expect(result.error?.code).toBe('E_BACKEND_UNAVAILABLE');
    expect(result.error?.message).toMatch(/'wasm-unsafe-eval'/);
  });

  it('a policy that forbids workers fails loadWorkerClassifier with an error naming worker-src', async () => {
    const { result } = await openApp(`${await serve(dist, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'")}/?part=worker`);
    expect(result.error?.code).toBe('E_WORKER');
    expect(result.error?.message).toMatch(/worker-src/);
  });
});

describe('the same Vite app under `vite` (the dev server), with no config', () => {
  let app: ConsumerApp;
  let devServer: ChildProcess;
  let url: string;

  beforeAll(async () => {
    app = createConsumerApp({ template: 'photo-app', deps: { vite: repoVersion('vite') } });
    await addAssets(join(app.dir, 'public'));
    const port = await freePort();
    devServer = spawn('npx', ['vite', '--port', String(port), '--strictPort'], { cwd: app.dir, stdio: 'pipe' });
    url = `http://localhost:${port}`;
    await waitForOutput(devServer, /Local:/);
  }, 600_000);
  afterAll(() => {
    devServer?.kill();
    app?.dispose();
  });

  it("finds the WASM binaries where the dev server serves node_modules, and 'auto' picks WASM", async () => {
    const { result } = await openApp(url);
    expectWasmChosenOverSoftwareGpu(result);
    expectPhotoLogits(result.logits);
  });
});

describe('a webpack 5 app, built with no config', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = createConsumerApp({ template: 'photo-app-webpack', deps: { webpack: repoVersion('webpack'), 'webpack-cli': repoVersion('webpack-cli') } });
    await addAssets(app.dir);
    app.run('npx', ['webpack', '--mode', 'production']);
  }, 600_000);
  afterAll(() => app?.dispose());

  it.each([
    ['no policy', undefined],
    ['the strict policy', STRICT_CSP],
  ])("with %s: 'auto' picks WASM, the <img> gives PyTorch's logits, and the package's own worker works", async (_, csp) => {
    const { result, console: printed } = await openApp(await serve(app.dir, csp));
    expectWasmChosenOverSoftwareGpu(result);
    expectPhotoLogits(result.logits);
    expectPhotoLogits(result.workerLogits);
    expect(printed.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
  });
});

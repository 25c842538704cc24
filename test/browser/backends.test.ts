/**
 * Backend selection in real browsers: what 'auto' picks with and without a GPU and why it skipped
 * the others, an explicit backend that is not there, and recovery from a lost WebGL context.
 * WebGPU's selection and device loss are in webgpu.slow.test.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import type { BackendReport } from '../../src/index.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import type { LoadSummary } from './harness/sdk-fixtures.js';
import { openSdkPage, SWIFTSHADER_TIMEOUT } from './sdk-page.js';

describe('Chromium with WebGL on SwiftShader and no WebGPU adapter (its default on a machine without a GPU)', () => {
  let session: HarnessSession;
  let auto: LoadSummary;
  let webgl: LoadSummary;

  beforeAll(async () => {
    session = await openSdkPage('webgl');
    auto = await session.page.evaluate(() => window.sdkFixtures.load('auto', { warmup: false }));
    webgl = await session.page.evaluate(() => window.sdkFixtures.load('webgl', { backend: 'webgl', warmup: false, selfCheck: false }));
  });
  afterAll(() => session?.close());

  it('auto skips WebGPU and the software WebGL, saying why, and runs on WASM', () => {
    expect(auto.backendReport.backend).toBe('wasm');
    expect(auto.backendReport.skipped).toEqual([
      { backend: 'webgpu', reason: expect.stringMatching(/adapter|navigator\.gpu/) },
      { backend: 'webgl', reason: expect.stringMatching(/^software renderer swiftshader: slower than WASM$/i) },
    ]);
  });

  it("an explicit backend: 'webgl' still runs on SwiftShader", () => {
    expect(webgl.backendReport).toEqual({ backend: 'webgl', skipped: [], notes: [], choice: 'explicit', extraInferences: 0 });
  });

  it("an explicit backend: 'webgpu' throws E_BACKEND_UNAVAILABLE, with the reason", async () => {
    const error = await session.page.evaluate(() => window.sdkFixtures.errorOf(() => window.sdkFixtures.load('webgpu', { backend: 'webgpu', warmup: false, selfCheck: false })));
    expect(error?.code).toBe('E_BACKEND_UNAVAILABLE');
    expect(error?.message).toMatch(/adapter|navigator\.gpu/);
  });

  it('after the WebGL context is lost, the next call runs on a fresh context with the same result', async () => {
    const result = await session.page.evaluate(async () => {
      const glOf = () => (window.tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
      const image = await window.sdkFixtures.seedA(0);
      const [before = []] = await window.sdkFixtures.logits('webgl', [image]);
      const gl = glOf();
      const lost = new Promise((resolve) => gl.canvas.addEventListener('webglcontextlost', resolve, { once: true }));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      await lost;
      const [after = []] = await window.sdkFixtures.logits('webgl', [image]);
      return { before, after, backend: window.sdkFixtures.classifier('webgl').backend, freshContext: glOf() !== gl && !glOf().isContextLost() };
    });
    expect(result.backend).toBe('webgl');
    expect(result.freshContext).toBe(true);
    expect(maxAbsDiff(result.after, result.before)).toBeLessThanOrEqual(1e-5);
  }, SWIFTSHADER_TIMEOUT);
});

describe('Chromium without a GPU (--disable-gpu)', () => {
  let session: HarnessSession;
  let firstAuto: BackendReport | undefined;

  beforeAll(async () => {
    session = await openSdkPage('wasm-only');
  });
  afterAll(() => session?.close());

  it('auto skips WebGPU and WebGL, saying why, and runs on WASM', async () => {
    const { backendReport } = await session.page.evaluate(() => window.sdkFixtures.load('auto', { warmup: false }));
    firstAuto = backendReport;
    expect(backendReport.backend).toBe('wasm');
    expect(backendReport.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    for (const { reason } of backendReport.skipped) expect(reason.length).toBeGreaterThan(10);
  });

  it("the self-check runs once on this device: a second load finds the pass in the model cache and runs no inference", async () => {
    const first = firstAuto as BackendReport;
    const { backendReport: second } = await session.page.evaluate(() => window.sdkFixtures.load('auto', { warmup: false }));
    expect(first.selfCheck).toMatchObject({ status: 'passed', cached: false, tolerance: 1e-3 });
    expect(first.selfCheck?.drift).toBeLessThan(1e-4);
    expect(first.extraInferences).toBe(1);
    expect(second.selfCheck).toMatchObject({ status: 'passed', cached: true });
    expect(second.extraInferences).toBe(0);
  });

  it("an explicit backend: 'webgl' throws E_BACKEND_UNAVAILABLE", async () => {
    const error = await session.page.evaluate(() => window.sdkFixtures.errorOf(() => window.sdkFixtures.load('webgl', { backend: 'webgl', warmup: false, selfCheck: false })));
    expect(error?.code).toBe('E_BACKEND_UNAVAILABLE');
    expect(error?.message).toMatch(/webgl/);
  });
});

describe('WebGL storing floats in 16 bits (WEBGL_FORCE_F16_TEXTURES, as phones without float32 render targets do)', () => {
  let session: HarnessSession;

  beforeAll(async () => {
    session = await openSdkPage('webgl');
  });
  afterAll(() => session?.close());

  it("fails the self-check: an explicit backend: 'webgl' throws E_SELF_CHECK_FAILED with the drift and its likely cause", async () => {
    const error = await session.page.evaluate(async () => {
      const { errorOf, load } = window.sdkFixtures;
      // A first load registers TF.js's WebGL flags; the next upload and every result it renders are then half precision.
      await load('f32', { backend: 'webgl', warmup: false, selfCheck: false });
      window.tf.env().set('WEBGL_FORCE_F16_TEXTURES', true);
      window.tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', false);
      return errorOf(() => load('f16', { backend: 'webgl' }));
    });
    expect(error?.code).toBe('E_SELF_CHECK_FAILED');
    expect(error?.message).toMatch(/^webgl: self-check drift \S+ \(16-bit float textures\) beyond the tolerance 0\.001: backend 'webgl' computes wrong answers/);
  }, SWIFTSHADER_TIMEOUT);
});

describe('WASM binaries that cannot be loaded', () => {
  let session: HarnessSession;

  beforeAll(async () => {
    // A single-page app's server answers every unknown path with its page.
    const spaFallback = (req: IncomingMessage, res: ServerResponse) =>
      req.url?.startsWith('/spa/') === true && Boolean(res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'));
    session = await openSdkPage('wasm-only', { intercept: spaFallback });
  });
  afterAll(() => session?.close());

  it("wasmPaths answered by an HTML page: the error names the URL, what came back, and wasmPaths; 'auto' says the same", async () => {
    const [explicit, auto] = await session.page.evaluate(async () => {
      const { errorOf, load } = window.sdkFixtures;
      const options = { wasmPaths: '/spa/', warmup: false, backend: 'wasm' } as const;
      return [await errorOf(() => load('wasm', options)), (await load('auto', { ...options, backend: 'auto' })).backendReport];
    });
    expect(explicit?.code).toBe('E_BACKEND_UNAVAILABLE');
    expect(explicit?.message).toMatch(/wasmPaths: http:\/\/127\.0\.0\.1:\d+\/spa\/tfjs-backend-wasm[-a-z]*\.wasm is not WebAssembly \(text\/html/);
    expect(auto.backend).toBe('cpu');
    expect(auto.skipped.find((s) => s.backend === 'wasm')?.reason).toMatch(/\/spa\/tfjs-backend-wasm[-a-z]*\.wasm is not WebAssembly/);
  });
});

// Webcam mode on Chromium's fake camera, the page offline after one visit, and the backend switcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../tools/browser/static-server.js';
import { dropFiles, FIXTURE_PHOTOS, fixturePhoto, openDemo, screenshot, serveDemo, settledCards, waitForModel, type DemoPage } from './demo-session.js';

const FAKE_CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

describe('demo: webcam, offline, backends', () => {
  let server: StaticServer;
  let demo: DemoPage;

  beforeAll(async () => {
    server = await serveDemo();
    demo = await openDemo(`${server.url}/?backend=wasm`, { args: FAKE_CAMERA });
    await waitForModel(demo, 'wasm');
  });

  afterAll(async () => {
    await demo?.browser.close();
    await server?.close();
  });

  it('shows live top-3 tags from the webcam', async () => {
    const { page } = demo;
    await page.click('#webcam-toggle');
    await page.waitForSelector('[data-testid=webcam-tags][data-frames="3"]', { timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`no third webcam frame; the panel says '${await page.textContent('#webcam-meta')}'`, { cause: error });
    });
    expect(await page.locator('[data-testid=webcam-tags] li').count()).toBe(3);
    expect(await page.textContent('#webcam-meta')).toMatch(/^Live: [\d.]+ m?s per frame$/);
    await screenshot(page, 'webcam');
    await page.click('#webcam-toggle');
    expect(await page.isHidden('#webcam')).toBe(true);
  });

  it('opens and tags offline after the first visit, with the server gone', async () => {
    const { page } = demo;
    // The service worker took over this page when it activated (clients.claim), its shell cached.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // Offline for real: nothing answers on the origin any more (Playwright's offline switch lets
    // the browser's own service-worker update check through).
    await server.close();
    await page.reload();
    await waitForModel(demo, 'wasm');
    expect(await page.getAttribute('#model-status', 'data-from-cache')).toBe('true');
    expect(await page.textContent('#model-status')).toMatch(/^Loaded from cache \(95\.\d MB, nothing downloaded\)/);
    await dropFiles(page, [fixturePhoto('coffee_small.png')]);
    const [card] = await settledCards(page, 1);
    expect(card).toMatchObject({ status: 'done', top1: FIXTURE_PHOTOS.find((p) => p.file === 'coffee_small.png')?.top1 });
  });

  it('switches backends (still offline), says why a backend cannot run, and keeps the one that works', async () => {
    const { page } = demo;
    // This Chromium has no WebGPU: the switch fails, and WASM keeps running.
    await page.selectOption('#backend-select', 'webgpu');
    await page.waitForSelector('[data-testid=backend].backend-error');
    expect(await page.textContent('[data-testid=backend]')).toMatch(/^Backend: WASM, \d+ threads?, as you chose\. Self-check passed( \(drift [^)]*\)| on this device earlier)\. Could not start webgpu: .*navigator\.gpu/);
    expect(await page.getAttribute('[data-testid=backend]', 'data-backend')).toBe('wasm');
    expect(await page.inputValue('#backend-select')).toBe('wasm');

    // Auto skips WebGPU and SwiftShader's WebGL, saying why, and lands on WASM.
    await page.selectOption('#backend-select', 'auto');
    await page.waitForFunction(() => document.querySelector('[data-testid=backend]')?.textContent?.includes('chosen by auto'), undefined, { timeout: 150_000 });
    await waitForModel(demo, 'wasm');
    expect(await page.textContent('[data-testid=backend]')).toMatch(
      /^Backend: WASM, .*chosen by auto as the fastest that works here; WebGPU skipped \(navigator\.gpu.*\); WebGL skipped \(software renderer SwiftShader: slower than WASM\)\./,
    );
    expect(await page.getAttribute('#model-status', 'data-from-cache')).toBe('true');
    expect(new URL(page.url()).searchParams.get('backend')).toBeNull();
    await screenshot(page, 'backend-auto-wasm');
  });
});

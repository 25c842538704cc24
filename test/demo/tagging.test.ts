// The demo as a person uses it: drop a pile of photos, read the tags, filter, export; on WASM,
// because SwiftShader's WebGL takes ~20 s per photo on this machine (WASM: ~1 s).
import { readFileSync } from 'node:fs';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../tools/browser/static-server.js';
import { dropStaged, FIXTURE_PHOTOS, fixturePhoto, openDemo, screenshot, serveDemo, settledCards, stageFiles, waitForModel, type DemoPage } from './demo-session.js';

const BATCH = Array.from({ length: 20 }, (_, i) => {
  const photo = FIXTURE_PHOTOS[i % FIXTURE_PHOTOS.length] as (typeof FIXTURE_PHOTOS)[number];
  return { ...fixturePhoto(photo.file), name: `${String(i + 1).padStart(2, '0')}-${photo.file}`, top1: photo.top1 };
});

/** A laptop-sized screen: the first photo's results must show on it without the user scrolling. */
const LAPTOP = { width: 1280, height: 800 };

describe('demo: tagging a batch of photos', () => {
  let server: StaticServer;
  let demo: DemoPage;
  /** Every request the browser made (page, worker), intercepted before it left. */
  const requests: { url: string; method: string; afterModel: boolean }[] = [];
  let modelLoaded = false;

  beforeAll(async () => {
    server = await serveDemo();
    // Routing does not see requests a service worker answers, so the worker is kept out here.
    demo = await openDemo('about:blank', { context: { serviceWorkers: 'block', viewport: LAPTOP } });
    await demo.context.route('**/*', (route) => {
      const request: Request = route.request();
      requests.push({ url: request.url(), method: request.method(), afterModel: modelLoaded });
      return route.continue();
    });
    await demo.page.goto(`${server.url}/?backend=wasm`);
    await waitForModel(demo, 'wasm');
    modelLoaded = true;
  });

  afterAll(async () => {
    await demo?.browser.close();
    await server?.close();
  });

  it('loads the model with its progress, the backend and why, and the synthetic-model banner', async () => {
    const { page } = demo;
    expect(await page.textContent('[data-testid=backend]')).toMatch(/Backend: WASM, \d+ threads?, as you chose/);
    expect(await page.textContent('#model-status')).toMatch(/Downloaded 95\.\d MB at [\d.]+ MB\/s; ready in/);
    const banner = page.locator('#synthetic-banner');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/predictions mean nothing.*npm run model/s);
    expect(await page.textContent('#privacy')).toMatch(/runs in this browser tab.*never uploaded/s);
  });

  it('tags 20 dropped photos exactly as PyTorch ranks them, without a main-thread long task over 100 ms', async () => {
    const { page } = demo;
    const staged = await stageFiles(page, BATCH);
    const started = await page.evaluate(() => performance.now());
    await dropStaged(page, staged);
    const cards = await settledCards(page, BATCH.length, 180_000);
    const ended = await page.evaluate(() => performance.now());

    expect(cards.map((c) => [c.file, c.status, c.top1])).toEqual(BATCH.map((p) => [p.name, 'done', p.top1]));
    expect(await page.locator('[data-testid=result]').first().locator('.tags li').count()).toBe(5);
    expect(await page.textContent('[data-testid=batch-status]')).toBe('Tagged 20 photos.');
    expect(await page.textContent('[data-testid=timing]')).toMatch(/^Average [\d.]+ m?s per photo \(20 photos\)\.$/);
    expect(await page.getAttribute('[data-testid=result] img', 'alt')).toMatch(/^Photo 01-astronaut\.jpg, tagged /);
    // The page scrolled to the results: the first card is whole on screen, below the toolbar that stays on top.
    await page.waitForFunction(() => {
      const card = document.querySelector('[data-testid=result]')?.getBoundingClientRect();
      const toolbar = document.querySelector('.toolbar')?.getBoundingClientRect();
      return card && toolbar && card.top >= toolbar.bottom && card.bottom <= innerHeight && card.left >= 0 && card.right <= innerWidth;
    }, undefined, { timeout: 5_000 });

    const tasks = await page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
    const during = tasks.filter((t) => t.start >= started && t.start <= ended).map((t) => t.duration);
    console.log(`demo: 20 photos in ${((ended - started) / 1000).toFixed(1)} s; main-thread long tasks during the batch: ${during.length ? during.map(Math.round).join(', ') + ' ms' : 'none'}`);
    expect(Math.max(0, ...during)).toBeLessThanOrEqual(100);
    await screenshot(page, 'tagged-batch');
  });

  it('filters the grid by tag', async () => {
    const { page } = demo;
    const label = (await page.locator('[data-testid=result] .tags .label').first().textContent()) ?? '';
    await page.fill('#tag-filter', label);
    const visible = await page.$$eval('[data-testid=result]', (cards) => (cards as HTMLElement[]).filter((c) => !c.hidden).map((c) => c.textContent ?? ''));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThanOrEqual(20);
    for (const text of visible) expect(text).toContain(label);
    expect(await page.isVisible('[data-testid=filter-empty]')).toBe(false);
    await page.fill('#tag-filter', 'no such tag');
    expect(await page.locator('[data-testid=result]:visible').count()).toBe(0);
    expect(await page.textContent('[data-testid=filter-empty]')).toMatch(/^\s*No photo has a tag containing “no such tag” \(of 20 photos\)\.\s*Show all photos\s*$/);
    await screenshot(page, 'filter-matches-nothing');
    await page.click('#filter-clear');
    expect(await page.inputValue('#tag-filter')).toBe('');
    expect(await page.isVisible('[data-testid=filter-empty]')).toBe(false);
    expect(await page.locator('[data-testid=result]:visible').count()).toBe(20);
  });

  it('exports the tags as JSON and CSV', async () => {
    const { page } = demo;
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = JSON.parse(readFileSync(await json.path(), 'utf8')) as { photos: { file: string; tags: { index: number }[] }[] };
    expect(json.suggestedFilename()).toBe('inception-tags.json');
    expect(exported.photos.map((p) => [p.file, p.tags.length, p.tags[0]?.index])).toEqual(BATCH.map((p) => [p.name, 5, p.top1]));

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const rows = readFileSync(await csv.path(), 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('file,status,source,rank,class_index,label,probability,error');
    expect(rows).toHaveLength(1 + 20 * 5);
    expect(rows[1]).toMatch(new RegExp(`^01-astronaut\\.jpg,done,imagenet,1,${BATCH[0]?.top1},`));
  });

  it('sends no request off the origin, and none at all for the photos', () => {
    const origin = new URL(server.url).origin;
    const offOrigin = requests.filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:') && new URL(r.url).origin !== origin);
    expect(offOrigin).toEqual([]);
    expect(requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    // After the model loaded, 20 photos were tagged and exported with no network traffic at all.
    expect(requests.filter((r) => r.afterModel && !r.url.startsWith('blob:'))).toEqual([]);
    expect(requests.some((r) => r.url.endsWith('/models/synthetic/group1-shard1of23.bin'))).toBe(true);
  });

  it('fits a phone screen', async () => {
    const { page } = demo;
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const widths = await page.$$eval('[data-testid=result]', (cards) => cards.slice(0, 2).map((c) => c.getBoundingClientRect().width));
    for (const width of widths) expect(width).toBeGreaterThan(150);
    await screenshot(page, 'phone-width');
  });
});

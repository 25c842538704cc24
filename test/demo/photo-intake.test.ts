// Bad files, other ways in (keyboard picker, paste), "Find similar", and a page with no model.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { dropFiles, FIXTURE_PHOTOS, fixturePhoto, openDemo, screenshot, serveDemo, settledCards, stageFiles, waitForModel, type DemoPage } from './demo-session.js';

const topOf = (file: string): number | undefined => FIXTURE_PHOTOS.find((p) => p.file === file)?.top1;

/** A JPEG's first marker, then noise: it passes the format sniff and fails to decode. */
const CORRUPT_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4000)]);

/** 12000×12000 = 144 MP, built here rather than committed (it compresses to ~0.5 MB as PNG). */
function hugePng(): Promise<Buffer> {
  return sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#6a8' } }).png({ compressionLevel: 9 }).toBuffer();
}

describe('demo: bad input and the other ways in', () => {
  let server: StaticServer;
  let demo: DemoPage;

  beforeAll(async () => {
    server = await serveDemo();
    demo = await openDemo(`${server.url}/?backend=wasm`);
    await waitForModel(demo, 'wasm');
  });

  afterAll(async () => {
    await demo?.browser.close();
    await server?.close();
  });

  it('gives a non-image, a corrupt image and a 12000×12000 image their own error cards while the photos carry on', async () => {
    const { page } = demo;
    await dropFiles(page, [
      fixturePhoto('astronaut.jpg'),
      { name: 'notes.txt', bytes: Buffer.from('not a photo\n') },
      { name: 'corrupt.jpg', bytes: CORRUPT_JPEG },
      { name: 'huge.png', bytes: await hugePng() },
      fixturePhoto('coffee_small.png'),
      { ...fixturePhoto('astronaut.jpg'), name: 'astronaut-copy.jpg' },
    ]);
    const cards = await settledCards(page, 6);
    expect(cards.map((c) => [c.file, c.status, c.top1])).toEqual([
      ['astronaut.jpg', 'done', topOf('astronaut.jpg')],
      ['notes.txt', 'error', undefined],
      ['corrupt.jpg', 'error', undefined],
      ['huge.png', 'error', undefined],
      ['coffee_small.png', 'done', topOf('coffee_small.png')],
      ['astronaut-copy.jpg', 'done', topOf('astronaut.jpg')],
    ]);
    expect(cards[1]?.text).toMatch(/Not an image \(text\/plain\)/);
    expect(cards[2]?.text).toMatch(/Could not decode the image/);
    expect(cards[3]?.text).toMatch(/Too large: 12000×12000 is 144 MP, over the 50 MP limit/);
    expect(await page.textContent('[data-testid=batch-status]')).toBe('Tagged 3 photos (3 errors).');
    await screenshot(page, 'error-cards');
  });

  it('ranks the other photos by embedding similarity on "Find similar"', async () => {
    const { page } = demo;
    await page.click('[data-file="astronaut.jpg"] button.similar');
    await page.waitForSelector('#clear-similar:visible');
    const order = await page.$$eval('[data-testid=result]', (cards) => (cards as HTMLElement[]).map((c) => [c.dataset.file, c.dataset.similarity]));
    // The reference first, its identical copy next (cosine 1), then the rest; error cards last.
    expect(order[0]).toEqual(['astronaut.jpg', undefined]);
    expect(order[1]?.[0]).toBe('astronaut-copy.jpg');
    expect(Number(order[1]?.[1])).toBeCloseTo(1, 3);
    expect(order[2]?.[0]).toBe('coffee_small.png');
    expect(Number(order[2]?.[1])).toBeLessThan(Number(order[1]?.[1]));
    await screenshot(page, 'find-similar');
    await page.click('#clear-similar');
    expect(await page.$$eval('[data-testid=result]', (cards) => (cards as HTMLElement[]).map((c) => c.dataset.file))).toEqual(
      ['astronaut.jpg', 'notes.txt', 'corrupt.jpg', 'huge.png', 'coffee_small.png', 'astronaut-copy.jpg'],
    );
  });

  it('opens the file picker from the keyboard', async () => {
    const { page } = demo;
    // Start from the control just before the dropzone; earlier tests left focus deep in the grid.
    await page.locator('#backend-select').focus();
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'pick-files'; i++) await page.keyboard.press('Tab');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([{ name: 'picked.png', mimeType: 'image/png', buffer: fixturePhoto('chelsea_rgba.png').bytes }]);
    const cards = await settledCards(page, 7);
    expect(cards[6]).toMatchObject({ file: 'picked.png', status: 'done', top1: topOf('chelsea_rgba.png') });
  });

  it('takes whole folders, dragged from the desktop or picked', async () => {
    const { page, context } = demo;
    const album = mkdtempSync(`${tmpdir()}/demo-album-`);
    mkdirSync(`${album}/trip/day 2`, { recursive: true });
    writeFileSync(`${album}/trip/camera.png`, fixturePhoto('camera_gray.png').bytes);
    writeFileSync(`${album}/trip/day 2/cat.png`, fixturePhoto('chelsea_rgba.png').bytes);
    writeFileSync(`${album}/trip/.DS_Store`, 'hidden files are skipped');
    try {
      // A real drag from the OS (a script-made DataTransfer cannot hold a folder).
      const cdp = await context.newCDPSession(page);
      // The page scrolled down to the earlier drops' results; a person scrolls back up to the drop zone too.
      await page.locator('[data-testid=dropzone]').scrollIntoViewIfNeeded();
      const box = await page.locator('[data-testid=dropzone]').boundingBox();
      const at = { x: (box?.x ?? 0) + (box?.width ?? 0) / 2, y: (box?.y ?? 0) + (box?.height ?? 0) / 2 };
      const data = { items: [], files: [`${album}/trip`], dragOperationsMask: 1 };
      for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
      const dropped = (await settledCards(page, 9)).slice(7);
      expect(dropped.map((c) => [c.file, c.status, c.top1])).toEqual([
        ['camera.png', 'done', topOf('camera_gray.png')],
        ['cat.png', 'done', topOf('chelsea_rgba.png')],
      ]);
      expect(await page.locator('[data-testid=result] .name').nth(8).textContent()).toBe('trip/day 2/cat.png');

      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#pick-folder')]);
      await chooser.setFiles(`${album}/trip`);
      const picked = (await settledCards(page, 11)).slice(9);
      expect(picked.map((c) => [c.file, c.status]).sort()).toEqual([
        ['camera.png', 'done'],
        ['cat.png', 'done'],
      ]);
    } finally {
      rmSync(album, { recursive: true, force: true });
    }
  });

  it('takes an image pasted from the clipboard', async () => {
    const { page } = demo;
    const clipboard = await stageFiles(page, [{ ...fixturePhoto('rocket_strip.jpg'), name: 'image.jpg' }]);
    await page.evaluate((clipboardData) => document.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true })), clipboard);
    const cards = await settledCards(page, 12);
    expect(cards[11]).toMatchObject({ file: 'image.jpg', status: 'done', top1: topOf('rocket_strip.jpg') });
  });

  it('loads a model from another origin that allows CORS, given as ?model=', async () => {
    const models = await startStaticServer({ mounts: { '/inception/': await syntheticModelDir('float32') }, cors: true });
    const page = await demo.context.newPage();
    try {
      await page.goto(`${server.url}/?backend=wasm&model=${encodeURIComponent(`${models.url}/inception/model.json`)}`);
      await waitForModel({ ...demo, page }, 'wasm');
      // Shards are cached by content, so this browser already holds the weights from the first page.
      expect(await page.textContent('#model-status')).toMatch(/^Downloaded 0\.0 MB at [\d.]+ MB\/s, 95\.\d MB from cache/);
      expect(models.requests).toEqual(['/inception/model.json']);
      await dropFiles(page, [fixturePhoto('hubble_portrait.jpg')]);
      const [card] = await settledCards(page, 1);
      expect(card).toMatchObject({ status: 'done', top1: topOf('hubble_portrait.jpg') });
    } finally {
      await page.close();
      await models.close();
    }
  });

  it('says how to fix a missing model', async () => {
    const bare = await serveDemo('none');
    const page = await demo.context.newPage();
    try {
      await page.goto(bare.url);
      const message = await page.waitForSelector('#model-error:visible');
      expect(await message.textContent()).toMatch(/No model found\. Run npm run model to convert the torchvision weights/);
      expect(await page.textContent('[data-testid=backend]')).toMatch(/none running/);
      await screenshot(page, 'missing-model');
    } finally {
      await page.close();
      await bare.close();
    }
  });
});

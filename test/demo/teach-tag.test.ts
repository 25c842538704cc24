// "Teach a tag" as a person uses it: teach two visibly different tags from a few photos (altered
// shots of the cat and the coffee fixtures), train, then drop held-out shots and read the tag on
// each card; keep the tagger across a reload and as a file. On WASM, as the other demo tests.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoVariantFiles } from '../helpers/photo-variant-files.js';
import type { StaticServer } from '../../tools/browser/static-server.js';
import { dropFiles, openDemo, screenshot, serveDemo, settledCards, waitForModel, type DemoPage, type DropFile } from './demo-session.js';

const TAGS = { cat: 'chelsea_rgba.png', coffee: 'coffee_small.png' } as const;
type Tag = keyof typeof TAGS;
const TAUGHT = 3;
const HELD_OUT = 5;
/** TrainView's EPOCHS. */
const EPOCHS = 50;
const TEACH_ZONE = '[data-testid=teach-dropzone]';

interface Shot extends DropFile {
  readonly tag: Tag;
}

/** Per tag, TAUGHT shots to teach and HELD_OUT others to check it on. */
async function shotsOf(tag: Tag, seed: number): Promise<{ taught: Shot[]; heldOut: Shot[] }> {
  const files = await photoVariantFiles(TAGS[tag], TAUGHT + HELD_OUT, seed);
  const shots = files.map((bytes, i) => ({ tag, name: `${tag}-${i + 1}.jpg`, bytes }));
  return { taught: shots.slice(0, TAUGHT), heldOut: shots.slice(TAUGHT) };
}

/** Each card's taught tags as the page shows them: label and exact probability, best first. */
type CustomTags = Record<string, [string, string][]>;

describe('demo: teach a tag', () => {
  let server: StaticServer;
  let demo: DemoPage;
  let cat: Awaited<ReturnType<typeof shotsOf>>;
  let coffee: Awaited<ReturnType<typeof shotsOf>>;
  let beforeReload: CustomTags;
  const heldOut = () => [...cat.heldOut, ...coffee.heldOut];

  beforeAll(async () => {
    [cat, coffee, server] = await Promise.all([shotsOf('cat', 21), shotsOf('coffee', 22), serveDemo()]);
    demo = await openDemo(`${server.url}/?backend=wasm`);
    await waitForModel(demo, 'wasm');
  });

  afterAll(async () => {
    await demo?.browser.close();
    await server?.close();
  });

  /** Waits until the panel lists `tag` with its photos' examples: each photo, mirrored, and two crops. */
  async function waitForTag(tag: Tag, photos: number): Promise<void> {
    await demo.page.waitForSelector(`[data-testid=teach-tags] li[data-label=${tag}][data-count="${photos * 4}"]`, { timeout: 60_000 });
  }

  /** Waits until `count` cards show a taught tag; returns each card's taught tags by file. */
  async function customTags(count: number): Promise<CustomTags> {
    const { page } = demo;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=custom-tags][data-top-tag]').length >= n, count, { timeout: 60_000 });
    return page.$$eval('[data-testid=result]', (cards) =>
      Object.fromEntries(
        (cards as HTMLElement[]).map((card) => [
          card.dataset.file ?? '',
          [...card.querySelectorAll<HTMLElement>('[data-testid=custom-tags] li')].map((li) => [li.querySelector('.label')?.textContent ?? '', li.dataset.probability ?? ''] as [string, string]),
        ]),
      ),
    );
  }

  /** Whether Train can be pressed, and the line its aria-describedby points at. */
  async function trainState(): Promise<{ enabled: boolean; hint: string }> {
    const button = demo.page.locator('[data-testid=train]');
    const hintId = (await button.getAttribute('aria-describedby')) ?? '';
    return { enabled: await button.isEnabled(), hint: (await demo.page.locator(`#${hintId}`).textContent()) ?? '' };
  }

  it('teaches a tag by drop, says when there is no photo to add, and keeps Train disabled, saying why, until a second tag', async () => {
    const { page } = demo;
    const error = page.locator('[data-testid=teach-error]');
    const untaught = await trainState();
    expect(untaught.enabled).toBe(false);
    expect(untaught.hint).toMatch(/^Train needs two tags with photos, and there is none yet/);
    await page.fill('#teach-name', 'cat');
    await dropFiles(page, [{ name: 'notes.txt', bytes: Buffer.from('not a photo\n') }], TEACH_ZONE);
    await page.waitForSelector('[data-testid=teach-error][data-code=E_EMPTY_CLASS]');
    expect(await error.textContent()).toMatch(/^Nothing was added to 'cat': none of those files is a photo.*notes\.txt: Not an image/);

    await dropFiles(page, cat.taught, TEACH_ZONE);
    await waitForTag('cat', TAUGHT);
    expect(await error.isVisible()).toBe(false);
    expect(await page.textContent('#teach-status')).toBe(`Added ${TAUGHT} photos to 'cat': ${TAUGHT * 4} examples with the mirrored and cropped copies.`);
    // Nothing reached the grid: the panel keeps its own drops.
    expect(await page.locator('[data-testid=result]').count()).toBe(0);

    expect(await trainState()).toEqual({ enabled: false, hint: "Train needs a second tag: only 'cat' has photos. Teach another (for example 'other', with everyday photos that are not 'cat')." });
    expect(await page.isVisible('[data-testid=train-status]')).toBe(true);
  });

  it('teaches a second tag with the picker and trains, the progress bar running to the last epoch', async () => {
    const { page } = demo;
    await page.fill('#teach-name', 'coffee');
    await page.setInputFiles(
      '#teach-input',
      coffee.taught.map((shot) => ({ name: shot.name, mimeType: 'image/jpeg', buffer: shot.bytes })),
    );
    await waitForTag('coffee', TAUGHT);
    expect(await page.isVisible('[data-testid=teach-error]')).toBe(false);
    expect(await trainState()).toEqual({ enabled: true, hint: 'Ready to train on 2 tags.' });

    // Every value the bar takes, seen as it changes.
    await page.evaluate(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid=train-progress]') as HTMLProgressElement;
      const seen: number[] = [];
      Object.assign(window, { barValues: seen });
      new MutationObserver(() => seen.push(bar.value)).observe(bar, { attributes: true, attributeFilter: ['value'] });
    });
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=train-status]:text-matches("^Trained for")', { timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { barValues: number[] }).barValues);
    expect(seen.at(-1)).toBe(EPOCHS);
    expect(new Set(seen).size).toBeGreaterThan(EPOCHS / 2);
    expect(await page.$eval('[data-testid=train-progress]', (bar) => [(bar as HTMLProgressElement).max, (bar as HTMLProgressElement).hidden])).toEqual([EPOCHS, false]);
    expect(await page.textContent('[data-testid=train-status]')).toMatch(new RegExp(`^Trained for ${EPOCHS} epochs: loss 0\\.\\d{3}, 100% of the examples right\\.$`));
    await page.waitForFunction(() => document.querySelector('#announcer')?.textContent?.startsWith('Trained: '));
  });

  it('puts the right taught tag on ≥ 90% of held-out photos, beside the ImageNet tags, in the filter and the exports', async () => {
    const { page } = demo;
    await dropFiles(page, heldOut());
    const cards = await settledCards(page, heldOut().length);
    expect(cards.every((c) => c.status === 'done' && c.top1 !== undefined)).toBe(true);
    beforeReload = await customTags(heldOut().length);
    const right = heldOut().filter((shot) => beforeReload[shot.name]?.[0]?.[0] === shot.tag);
    console.log(`teach a tag: ${right.length} of ${heldOut().length} held-out shots tagged right`);
    expect(right.length / heldOut().length).toBeGreaterThanOrEqual(0.9);
    const topTags = await page.$$eval('[data-testid=custom-tags]', (boxes) => boxes.map((box) => (box as HTMLElement).dataset.topTag));
    expect(topTags).toEqual(heldOut().map((shot) => beforeReload[shot.name]?.[0]?.[0]));

    await page.fill('#tag-filter', 'coffee');
    const visible = await page.$$eval('[data-testid=result]', (all) => (all as HTMLElement[]).filter((c) => !c.hidden).map((c) => c.dataset.file));
    expect(visible).toEqual(heldOut().filter((shot) => beforeReload[shot.name]?.some(([label]) => label === 'coffee')).map((shot) => shot.name));
    await page.fill('#tag-filter', '');

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = JSON.parse(readFileSync(await json.path(), 'utf8')) as { photos: { file: string; customTags: { label: string }[] }[] };
    expect(exported.photos.map((p) => [p.file, p.customTags[0]?.label])).toEqual(heldOut().map((shot) => [shot.name, beforeReload[shot.name]?.[0]?.[0]]));
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const first = heldOut()[0] as Shot;
    expect(readFileSync(await csv.path(), 'utf8')).toContain(`\r\n${first.name},done,custom,1,,${beforeReload[first.name]?.[0]?.[0]},`);
    await screenshot(page, 'teach-tag');
  });

  it('saves the tagger, and after a reload loads it back with identical predictions', async () => {
    const { page } = demo;
    await page.fill('#tagger-name', 'pets');
    await page.click('#tagger-save');
    await page.waitForSelector('#teach-status:text("Saved your tags as \'pets\' in this browser.")');

    await page.reload();
    await waitForModel(demo, 'wasm');
    await page.waitForSelector('#tagger-saved option[value=pets]', { state: 'attached' });
    await page.selectOption('#tagger-saved', 'pets');
    await page.click('#tagger-load');
    await page.waitForSelector('#teach-status:text("Loaded \'pets\': cat, coffee, trained.")');
    expect(await page.$$eval('[data-testid=teach-tags] li', (rows) => rows.map((r) => [(r as HTMLElement).dataset.label, (r as HTMLElement).dataset.count]))).toEqual([
      ['cat', String(TAUGHT * 4)],
      ['coffee', String(TAUGHT * 4)],
    ]);
    expect(await page.textContent('[data-testid=train-status]')).toBe('Trained (loaded).');

    const again = [cat.heldOut[0], cat.heldOut[1], coffee.heldOut[0], coffee.heldOut[1]] as Shot[];
    await dropFiles(page, again);
    const reloaded = await customTags(again.length);
    expect(reloaded).toEqual(Object.fromEntries(again.map((shot) => [shot.name, beforeReload[shot.name]])));
  });

  it('downloads the tagger as JSON; uploading another model\'s or a damaged one says so, and the tagger in use stays', async () => {
    const { page } = demo;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#tagger-download')]);
    expect(download.suggestedFilename()).toBe('pets.tagger.json');
    const json = readFileSync(await download.path(), 'utf8');
    const saved = JSON.parse(json) as { model: { weightsSha256: string }; classes: { label: string }[] };
    expect(saved.classes.map((c) => c.label)).toEqual(['cat', 'coffee']);

    const upload = async (text: string) => page.setInputFiles('#tagger-file', { name: 'tags.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const error = page.locator('[data-testid=teach-error]');
    await upload(JSON.stringify({ ...saved, model: { ...saved.model, weightsSha256: 'f'.repeat(64) } }));
    await page.waitForSelector('[data-testid=teach-error][data-code=E_TAGGER_MISMATCH]');
    expect(await error.textContent()).toMatch(/taught on another model than the one running here/);
    await upload(json.slice(0, 200));
    await page.waitForSelector('[data-testid=teach-error][data-code=E_CORRUPT_TAGGER]');
    expect(await error.textContent()).toMatch(/not a tagger this page can read.*cut short/);
    expect(await page.locator('[data-testid=teach-tags] li').count()).toBe(2);

    await upload(json);
    await page.waitForSelector('#teach-status:text("Loaded tags.json: cat, coffee, trained.")');
    expect(await error.isVisible()).toBe(false);
  });

  it('fits a phone screen', async () => {
    const { page } = demo;
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    const panel = await page.locator('[data-testid=teach-panel]').boundingBox();
    expect(panel?.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'teach-tag-phone');
  });
});

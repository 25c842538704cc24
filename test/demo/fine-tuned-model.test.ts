// The demo with a fine-tuned 7-class model in place of ImageNet's: each photo's tag list shows the
// model's own labels (from the class_to_idx given to `convert --labels`), ranked as the Node
// runtime ranks them for the same file, and nothing assumes 1000 classes.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, loadClassifier } from '../../src/node/index.js';
import { convertFinetuneCase, FINETUNE_CASES } from '../helpers/finetune-fixtures.js';
import { PHOTOS } from '../../tools/reference/photo-logits.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { buildDemo, DEMO_BUILD, dropFiles, fixturePhoto, openDemo, settledCards, waitForModel, type DemoPage } from './demo-session.js';

const PHOTO = 'astronaut.jpg';

describe('demo: a fine-tuned 7-class model', () => {
  let dir: string;
  let model: string;
  let server: StaticServer;
  let demo: DemoPage;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-demo-finetune-'));
    model = await convertFinetuneCase('ft7', dir);
    // Where `npm run model` puts the model, so the page loads it as it would the real one.
    const mounts = { '/': buildDemo(), '/models/inception_v3/': model, '/models/synthetic/': `${DEMO_BUILD}/no-such-model/` };
    server = await startStaticServer({ mounts, crossOriginIsolated: true });
    demo = await openDemo(`${server.url}/?backend=wasm`, { context: { serviceWorkers: 'block' } });
    await waitForModel(demo, 'wasm');
  }, 240_000);

  afterAll(async () => {
    await demo?.browser.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a dropped photo's tags are the model's labels, top-5 of 7, ranked as the Node runtime ranks them", async () => {
    const node = await loadClassifier({ modelUrl: model, warmup: false });
    const pixels = await decodeImage(`${PHOTOS}/${PHOTO}`);
    const expected = await node.classify(pixels, { topK: 5 });
    pixels.dispose();
    node.dispose();

    await dropFiles(demo.page, [fixturePhoto(PHOTO)]);
    const [card] = await settledCards(demo.page, 1);
    expect([card?.status, card?.top1]).toEqual(['done', expected[0]?.index]);
    const shown = await demo.page.locator('[data-testid=result] .tags .label').allTextContents();
    expect(shown).toEqual(expected.map((p) => p.label));
    for (const label of shown) expect(FINETUNE_CASES.ft7.labels).toContain(label);
  }, 120_000);
});

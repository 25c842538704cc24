/**
 * `npm run bench -- consumed-app [--tarball <file.tgz>]`: the README's example as a fresh Vite app
 * built from the packed tarball (or an older one, for a "before" figure), opened four times in
 * Chromium without a GPU with 'auto'. Prints the backend chosen, loadClassifier's time and the
 * first classification's, and writes bench/results/consumed-app.json.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../tools/browser/browser.js';
import { PHOTOS } from '../../tools/reference/photo-logits.js';
import { startStaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { createConsumerApp, repoVersion } from '../../tools/package/index.js';
import { median } from '../stats.js';

const PAGE_LOADS = 4;

interface PageLoad {
  readonly backend: string;
  readonly loadMs: number;
  readonly firstClassifyMs: number;
}

export interface ConsumedAppResult {
  readonly tarball: string;
  readonly loads: PageLoad[];
  readonly medianLoadMs: number;
  readonly medianFirstClassifyMs: number;
}

/** Builds the photo app against `tarball` (default: the package packed now) and times PAGE_LOADS page loads. */
export async function runConsumedAppBenchmark(tarball?: string): Promise<ConsumedAppResult> {
  const app = createConsumerApp({ template: 'photo-app', deps: { vite: repoVersion('vite') }, ...(tarball && { tarball }) });
  const server = await startStaticServer({ mounts: { '/': join(app.dir, 'dist') } });
  const browser = await launchChromium('webgl');
  try {
    cpSync(await syntheticModelDir('float32'), join(app.dir, 'public', 'models', 'synthetic'), { recursive: true });
    mkdirSync(join(app.dir, 'public', 'photos'), { recursive: true });
    cpSync(join(PHOTOS, 'chelsea_adobergb.jpg'), join(app.dir, 'public', 'photos', 'photo.jpg'));
    app.run('npx', ['vite', 'build']);
    const loads: PageLoad[] = [];
    for (let i = 0; i < PAGE_LOADS; i++) {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => 'appResult' in window, undefined, { timeout: 120_000 });
      const result = await page.evaluate(() => (window as unknown as { appResult: Promise<{ backendReport: { backend: string }; loadMs: number; firstClassifyMs: number }> }).appResult);
      loads.push({ backend: result.backendReport.backend, loadMs: result.loadMs, firstClassifyMs: result.firstClassifyMs });
      console.log(`consumed-app: ${result.backendReport.backend}, load ${result.loadMs.toFixed(0)} ms, first classification ${result.firstClassifyMs.toFixed(0)} ms`);
      await page.close();
    }
    return {
      tarball: tarball ?? 'packed now',
      loads,
      medianLoadMs: median(loads.map((l) => l.loadMs)),
      medianFirstClassifyMs: median(loads.map((l) => l.firstClassifyMs)),
    };
  } finally {
    await browser.close();
    await server.close();
    app.dispose();
  }
}

/**
 * Loading a model in a real browser: the Cache API spares the second load every request, progress
 * reports weight bytes, and each way a model can fail to arrive gives its own typed error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../src/index.js';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { PAGE_PATHS } from './harness/page-paths.js';
import { openSdkPage } from './sdk-page.js';

const CORRUPT = '/models/corrupt/';
const FOREIGN_MODEL_JSON = '/models/foreign/model.json';

let modelDir: string;
let session: HarnessSession;
/** Another origin serving the model without CORS headers. */
let otherOrigin: StaticServer;

/** Answers like a flaky disk or proxy: the first shard of the corrupt copy has one byte flipped. */
function corruptFirstShard(req: IncomingMessage, res: ServerResponse): boolean {
  const manifest = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const shard = manifest.weightsManifest[0]?.paths[0] ?? '';
  if (req.url !== `${CORRUPT}${shard}`) return false;
  const bytes = readFileSync(join(modelDir, shard));
  const middle = bytes.length >> 1;
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
  return true;
}

/** A genuine TF.js graph model that inception-webgpu did not convert: ours without its metadata. */
function serveForeignModel(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== FOREIGN_MODEL_JSON) return false;
  const { userDefinedMetadata: _ours, ...foreign } = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(foreign));
  return true;
}

beforeAll(async () => {
  modelDir = await syntheticModelDir('float32');
  otherOrigin = await startStaticServer({ mounts: { '/': modelDir } });
  session = await openSdkPage('wasm-only', {
    mounts: { [CORRUPT]: modelDir },
    intercept: (req, res) => corruptFirstShard(req, res) || serveForeignModel(req, res),
  });
});
afterAll(async () => {
  await session?.close();
  await otherOrigin?.close();
});

/** Byte progress as LoadOptions.onProgress promises it: only growing, ending at the weights' size. */
function expectByteProgress(progress: readonly LoadProgress[], fromCache: boolean): void {
  const weightBytes = readdirSync(modelDir)
    .filter((file) => file.endsWith('.bin'))
    .reduce((sum, file) => sum + statSync(join(modelDir, file)).size, 0);
  expect(progress.length).toBeGreaterThan(2);
  progress.forEach((p, i) => {
    expect(p.totalBytes).toBe(weightBytes);
    expect(p.fromCache).toBe(fromCache);
    expect(p.loadedBytes).toBeGreaterThanOrEqual(progress[i - 1]?.loadedBytes ?? 0);
  });
  expect(progress.at(-1)?.loadedBytes).toBe(weightBytes);
}

describe('the model cache', () => {
  it('a second load, in a new page of the same browser context, requests nothing and reports fromCache', async () => {
    // openHarness's page has a context of its own that takes no second page.
    const context = await session.browser.newContext();
    const openPage = async () => {
      const page = await context.newPage();
      await page.goto(`${session.server.url}/index.html`);
      await page.waitForFunction(() => window.harnessReady === true);
      return page;
    };
    try {
      const first = await (await openPage()).evaluate(() => window.sdkFixtures.load('first', { warmup: false }));
      expect(first.timings.fromCache).toBe(false);
      expectByteProgress(first.progress, false);
      expect(session.server.requests).toContain(PAGE_PATHS.model);

      const secondPage = await openPage();
      const requestsBefore = session.server.requests.length;
      const second = await secondPage.evaluate(() => window.sdkFixtures.load('second', { warmup: false }));
      expect(session.server.requests.slice(requestsBefore).filter((path) => path.startsWith('/models/'))).toEqual([]);
      expect(second.timings.fromCache).toBe(true);
      expectByteProgress(second.progress, true);
    } finally {
      await context.close();
    }
  });
});

describe('a model that cannot be loaded gives a typed error whose code crosses page.evaluate', () => {
  it.each([
    ['a missing model.json (HTTP 404)', 'E_MODEL_NOT_FOUND', () => '/models/missing/model.json', /404/],
    ['a model on another origin without CORS headers', 'E_NETWORK', () => `${otherOrigin.url}/model.json`, /Access-Control-Allow-Origin/],
    ['a shard with one byte flipped', 'E_INTEGRITY', () => `${CORRUPT}model.json`, /corrupt.*SHA-256/],
    ['a TF.js graph model that inception-webgpu did not convert', 'E_WRONG_MODEL', () => FOREIGN_MODEL_JSON, /userDefinedMetadata/],
  ])('%s → %s', async (_case, code, modelUrl, message) => {
    // cache: false, or the corrupt copy's shards would come from the cache (it is keyed by SHA-256).
    const error = await session.page.evaluate(
      (modelUrl) => window.sdkFixtures.errorOf(() => window.sdkFixtures.load('failed', { modelUrl, cache: false, warmup: false })),
      modelUrl(),
    );
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
  });
});

/**
 * A Chromium page with LiteRT.js (@litertjs/core, unbundled: an import map resolves its one
 * dependency) and its WASM binaries, for running written .tflite files the way a web app would.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../tools/browser/browser.js';
import { startStaticServer, type StaticServer } from '../../tools/browser/static-server.js';
import { FIXTURES, ROOT } from '../../tools/paths.js';

const PAGE = `<!doctype html>
<script type="importmap">
  { "imports": { "@litertjs/core": "/litert/dist/index.js", "@litertjs/wasm-utils": "/wasm-utils/dist/index.js" } }
</script>
<script type="module">
  import * as litert from '@litertjs/core';
  window.litert = litert;
</script>`;

export interface LiteRtPage {
  readonly page: Page;
  close(): Promise<void>;
}

/** Serves `modelDir` at /model/ and seedA at /seedA/, and opens a page with LiteRT.js loaded. */
export async function openLiteRtPage(modelDir: string): Promise<LiteRtPage> {
  const server: StaticServer = await startStaticServer({
    mounts: {
      '/litert/': `${ROOT}node_modules/@litertjs/core`,
      '/wasm-utils/': `${ROOT}node_modules/@litertjs/wasm-utils`,
      '/model/': modelDir,
      '/seedA/': `${FIXTURES}/seedA`,
    },
    intercept: (req, res) => req.url === '/' && Boolean(res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)),
  });
  const browser: Browser = await launchChromium('wasm-only');
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => 'litert' in window);
  return {
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

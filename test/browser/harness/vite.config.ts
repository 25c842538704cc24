import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { productionPageConfig } from '../../../tools/browser/production-page-config.js';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  ...productionPageConfig(path('.'), path('../../../.cache/browser-harness/')),
  // The harness runs the package as users get it: the built dist/ behind its public entry, so a
  // packaging regression (a missing file, a broken worker URL in dist/) fails the browser tests.
  resolve: { alias: { 'inception-webgpu': path('../../../dist/src/index.js') } },
});

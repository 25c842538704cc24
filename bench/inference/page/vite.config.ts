import { defineConfig } from 'vite';
import { productionPageConfig } from '../../../tools/browser/production-page-config.js';

export default defineConfig(
  productionPageConfig(new URL('.', import.meta.url).pathname, new URL('../../../.cache/bench-page/', import.meta.url).pathname),
);

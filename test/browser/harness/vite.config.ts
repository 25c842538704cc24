import { defineConfig } from 'vite';
import { productionPageConfig } from '../../helpers/production-page-config.js';

export default defineConfig(
  productionPageConfig(new URL('.', import.meta.url).pathname, new URL('../../../.cache/browser-harness/', import.meta.url).pathname),
);

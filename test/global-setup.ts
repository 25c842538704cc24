import { rmSync } from 'node:fs';
import { TEST_MODELS } from './helpers/paths.js';

/** Each run converts its test models afresh, so they always reflect the current converter. */
export default function setup(): void {
  rmSync(TEST_MODELS, { recursive: true, force: true });
}

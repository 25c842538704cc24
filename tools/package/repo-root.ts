import { fileURLToPath } from 'node:url';

/** The repository root (no trailing slash), whichever tool or test imports it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

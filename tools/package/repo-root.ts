import { ROOT } from '../paths.js';

/** The repository root without the trailing slash, for path.join. */
export const REPO_ROOT = ROOT.replace(/\/$/, '');

/**
 * Type-checks a consumer app with the repository's TypeScript and its own tsconfig.json
 * (skipLibCheck: false), keeping the diagnostics that concern the app or this package.
 */
import { join } from 'node:path';
import type { ConsumerApp } from './consumer-app.js';
import { REPO_ROOT } from './repo-root.js';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const OUR_FILES = 'node_modules/inception-webgpu/';

export interface TypeCheckResult {
  /** Errors in the app's files or in inception-webgpu's declarations. */
  readonly ours: string[];
  /** Errors in other packages' declarations (TF.js's own .d.ts have some under skipLibCheck: false). */
  readonly thirdParty: string[];
}

export function typeCheckApp(app: ConsumerApp): TypeCheckResult {
  const { status, stdout, stderr } = app.spawn('node', [TSC, '-p', 'tsconfig.json', '--pretty', 'false']);
  const errors = stdout.split('\n').filter((line) => /error TS\d+/.test(line));
  // A compiler that failed without a diagnostic (no tsconfig, a crash) must not pass as "no errors".
  if (status !== 0 && errors.length === 0) throw new Error(`tsc failed in ${app.dir} (status ${status}):\n${stdout}${stderr}`);
  // Only lines for a file start at column 0; paths into another package start with node_modules/ or ../.
  const isThirdParty = (line: string) => (line.startsWith('node_modules/') && !line.startsWith(OUR_FILES)) || line.startsWith('../');
  return { ours: errors.filter((line) => !isThirdParty(line)), thirdParty: errors.filter(isThirdParty) };
}

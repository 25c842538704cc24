/**
 * The package as npm users get it: `npm pack` of the repository, built once per change of what ships.
 * Tests and benchmarks that install the package into a consumer app share the tarball through
 * `.cache/package/<hash>/`, so a test run packs at most once.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/** Files outside dist/ that `npm pack` ships (see package.json "files"), so they key the cache too. */
const SHIPPED_ROOT_FILES = ['package.json', 'README.md', 'LICENSE'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A digest of every shipped file's path and bytes: a new build of dist/ means a new tarball. */
function shippedContentHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(join(REPO_ROOT, 'dist')),
    ...SHIPPED_ROOT_FILES.map((file) => join(REPO_ROOT, file)).filter((file) => existsSync(file)),
  ];
  for (const file of files) {
    hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Builds dist/ when it is missing (a single test file run on a fresh clone); `npm test` builds first. */
function ensureBuilt(): void {
  if (existsSync(join(REPO_ROOT, 'dist', 'src', 'index.js'))) return;
  execFileSync('npm', ['run', 'build:lib'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/**
 * Packs the repository with `npm pack` and returns the tarball's absolute path. Reuses the tarball
 * of an identical dist/ (and package.json, README, LICENSE) from an earlier call or run.
 */
export function packPackage(): string {
  ensureBuilt();
  const dir = join(REPO_ROOT, '.cache', 'package', shippedContentHash());
  const cached = existsSync(dir) ? readdirSync(dir).find((file) => file.endsWith('.tgz')) : undefined;
  if (cached) return join(dir, cached);

  // Pack into a scratch folder and rename it into place, so a concurrent reader never sees half a file.
  const scratch = `${dir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  if (existsSync(dir)) rmSync(scratch, { recursive: true, force: true });
  else renameSync(scratch, dir);
  return join(dir, filename);
}

/** What `npm pack` would put in the tarball: paths relative to the package root, and sizes in bytes. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

/** The file list of the tarball `packPackage()` makes, from `npm pack --dry-run`. */
export function packedFiles(): PackedFile[] {
  ensureBuilt();
  const out = execFileSync('npm', ['pack', '--json', '--dry-run', '--ignore-scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const [{ files }] = JSON.parse(out) as [{ files: PackedFile[] }];
  return files.map(({ path, size }) => ({ path, size }));
}

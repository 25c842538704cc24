/**
 * A fresh app outside the repository that installs the packed package the way a user does, so a test
 * sees what users see: only what the tarball ships, and dependencies resolved by npm, not by our
 * own node_modules.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { packPackage } from './pack-package.js';
import { REPO_ROOT } from './repo-root.js';

/** Starting files of consumer apps; a template is one folder in here. */
export const TEMPLATES_DIR = join(REPO_ROOT, 'tools', 'package', 'templates');

export interface ConsumerAppOptions {
  /**
   * The app's starting files: a folder name under tools/package/templates/ or an absolute path;
   * a list is copied in order, each folder adding to (or replacing files of) the ones before.
   */
  readonly template: string | readonly string[];
  /** Dependencies beside the package, name → version range (`repoVersion('vite')` keeps npm's cache warm). */
  readonly deps?: Readonly<Record<string, string>>;
  /** Install this tarball instead of `packPackage()`'s; `null` installs the app without the package. */
  readonly tarball?: string | null;
  /** Extra `npm install` arguments, e.g. `['--omit=optional']`. */
  readonly installArgs?: readonly string[];
}

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ConsumerApp {
  /** The app's folder (a temporary directory). */
  readonly dir: string;
  /** Runs a command in the app's folder and returns its stdout; throws with its output on failure. */
  run(command: string, args: readonly string[]): string;
  /** Runs a command in the app's folder and returns how it ended, failure included. */
  spawn(command: string, args: readonly string[]): CommandResult;
  /** Installs more packages into the app (`npm install <specs>`), e.g. to measure what they add. */
  install(specs: readonly string[], args?: readonly string[]): void;
  /** Deletes the folder. */
  dispose(): void;
}

// CI reaches the npm registry, and `npm ci` has just filled the local cache with the same versions.
const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

function templateDir(template: string): string {
  const dir = isAbsolute(template) ? template : join(TEMPLATES_DIR, template);
  if (!existsSync(dir)) throw new Error(`consumer-app template not found: ${dir}`);
  return dir;
}

/** The version of a package installed in the repository, so apps reuse what npm has cached. */
export function repoVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function writeManifest(dir: string, deps: Readonly<Record<string, string>>, tarball: string | null): void {
  const path = join(dir, 'package.json');
  const base = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
    : { name: 'consumer-app', private: true, type: 'module' };
  const dependencies = {
    ...(base.dependencies as Record<string, string> | undefined),
    ...deps,
    ...(tarball ? { 'inception-webgpu': `file:${tarball}` } : {}),
  };
  writeFileSync(path, `${JSON.stringify({ ...base, dependencies }, null, 2)}\n`);
}

/**
 * Copies a template to a temporary folder, adds the packed package (and `deps`) to its
 * package.json, and runs `npm install` there.
 */
export function createConsumerApp(options: ConsumerAppOptions): ConsumerApp {
  const tarball = options.tarball === undefined ? packPackage() : options.tarball;
  const dir = mkdtempSync(join(tmpdir(), 'inception-consumer-'));
  for (const template of [options.template].flat()) cpSync(templateDir(template), dir, { recursive: true });
  writeManifest(dir, options.deps ?? {}, tarball);

  const spawn: ConsumerApp['spawn'] = (command, args) => {
    const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const run: ConsumerApp['run'] = (command, args) => {
    const result = spawn(command, args);
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  const app: ConsumerApp = {
    dir,
    run,
    spawn,
    install: (specs, args = []) => void run('npm', [...NPM_INSTALL, ...args, ...specs]),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  try {
    app.install([], options.installArgs);
  } catch (error) {
    app.dispose();
    throw error;
  }
  return app;
}

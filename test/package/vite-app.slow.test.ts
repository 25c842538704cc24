/**
 * The packed tarball in fresh Vite apps, installed as users install it: what it adds to
 * node_modules, that `vite build` works with no config, and that an app already on TF.js 4.21
 * ends up with one tfjs-core, in `npm ls` and in its bundle.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerApp, packPackage, readmeSection, readmeTsBlock, repoVersion, typeCheckApp, type ConsumerApp } from '../../tools/package/index.js';
import { buildViteApp, measureInstall, type InstallMeasurement } from '../../tools/package/install-footprint.js';

/** Required ceiling for what a browser app's node_modules gains (docs/benchmarks.md has the figure). */
const MAX_ADDED_BYTES = 150e6;
/** The README example's eager JS, gzipped: 97.3 kB measured (docs/benchmarks.md); fails on +25 %. */
const MAX_EAGER_GZIP_BYTES = 122e3;
const VITE_APP_DEPS = { vite: repoVersion('vite'), typescript: repoVersion('typescript') };
const APP_TFJS = '4.21.0';

describe('a fresh Vite app', () => {
  let measured: InstallMeasurement;
  beforeAll(() => {
    measured = measureInstall({ template: 'vite-app', deps: VITE_APP_DEPS, tarball: packPackage() });
  });
  afterAll(() => measured?.app.dispose());

  it(`gains at most ${MAX_ADDED_BYTES / 1e6} MB of node_modules, no install scripts, no native binaries`, () => {
    const { footprint } = measured;
    expect(footprint.addedBytes).toBeLessThanOrEqual(MAX_ADDED_BYTES);
    expect(footprint.addedInstallScripts).toEqual([]);
    expect(footprint.addedNativeFiles).toEqual([]);
  });

  it('type-checks the README example: lib DOM, moduleResolution bundler, skipLibCheck false', () => {
    expect(typeCheckApp(measured.app).ours).toEqual([]);
  });

  it('builds the README example with no bundler config', () => {
    const eager = buildViteApp(measured.app);
    expect(eager.gzipBytes).toBeLessThanOrEqual(MAX_EAGER_GZIP_BYTES);
  });

  it('type-checks and builds the README’s vite.config.ts and Classify code, as pasted', () => {
    writeFileSync(join(measured.app.dir, 'vite.config.ts'), readmeTsBlock('### Configure Vite'));
    writeFileSync(join(measured.app.dir, 'src', 'main.ts'), readmeTsBlock('### Classify'));
    expect(typeCheckApp(measured.app).ours).toEqual([]);
    // Builds with the plugin (test/browser/wasm-threads.test.ts runs what it produces).
    expect(buildViteApp(measured.app).files.length).toBeGreaterThan(0);
  });
});

/** Folders a bundle's source maps take tfjs-core's engine from: one per copy of tfjs-core bundled. */
function bundledTfjsCores(outDir: string): string[] {
  const maps = readdirSync(join(outDir, 'assets')).filter((file) => file.endsWith('.js.map'));
  const cores = maps.flatMap((file) => {
    const { sources } = JSON.parse(readFileSync(join(outDir, 'assets', file), 'utf8')) as { sources: string[] };
    return sources.filter((source) => source.endsWith('tfjs-core/dist/engine.js'));
  });
  return [...new Set(cores.map((source) => source.replace(/^(\.\.\/)+/, '')))];
}

/**
 * The README's install line for an app already on TF.js, as a shell would expand it: the flags,
 * then the package specs other than inception-webgpu (the tarball stands in for it).
 */
function readmeInstallLineForTfjsApps(): { flags: string[]; specs: string[] } {
  const line = /^npm install (-E inception-webgpu .*)$/m.exec(readmeSection('### Install'))?.[1];
  if (!line) throw new Error("README's Install section has no 'npm install -E inception-webgpu …' line");
  const words = line.split(' ').flatMap((word) => {
    const braces = /^(.*)\{([^}]+)\}(.*)$/.exec(word);
    return braces ? (braces[2] ?? '').split(',').map((part) => `${braces[1]}${part}${braces[3]}`) : [word];
  });
  return { flags: words.filter((word) => word.startsWith('-')), specs: words.filter((word) => !word.startsWith('-') && word !== 'inception-webgpu') };
}

function tfjsCoresInstalled(app: ConsumerApp): Set<string> {
  const tree = app.run('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--parseable', '--long']);
  return new Set(tree.split('\n').filter((line) => line.includes('tfjs-core@')).map((line) => line.split(':')[1] ?? line));
}

describe(`an app that already uses @tensorflow/tfjs@${APP_TFJS}`, () => {
  let app: ConsumerApp;
  beforeAll(() => {
    app = createConsumerApp({ template: ['vite-app', 'vite-tfjs-app'], deps: { ...VITE_APP_DEPS, '@tensorflow/tfjs': APP_TFJS }, tarball: null });
  });
  afterAll(() => app?.dispose());

  it('npm refuses (ERESOLVE) rather than install a second tfjs-core when the versions are not given', () => {
    const result = app.spawn('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', packPackage()]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERESOLVE');
  });

  it('with the README’s install line, npm ls and the bundle hold one tfjs-core, the app’s', () => {
    const { flags, specs } = readmeInstallLineForTfjsApps();
    expect(specs).toHaveLength(6);
    expect(specs.every((spec) => spec.endsWith(`@${APP_TFJS}`))).toBe(true);
    app.install([packPackage(), ...specs], flags);
    expect(tfjsCoresInstalled(app)).toEqual(new Set([`@tensorflow/tfjs-core@${APP_TFJS}`]));
    app.run('npx', ['vite', 'build', '--sourcemap', '--logLevel', 'warn']);
    expect(bundledTfjsCores(join(app.dir, 'dist'))).toEqual(['node_modules/@tensorflow/tfjs-core/dist/engine.js']);
  });

  it('classify() takes the app’s own tf.Tensor3D (one tfjs-core for the types too)', () => {
    expect(typeCheckApp(app).ours).toEqual([]);
  });

  it('and a clean reinstall from the package.json that line wrote still has one', () => {
    app.run('rm', ['-rf', 'node_modules', 'package-lock.json']);
    app.install([]);
    expect(tfjsCoresInstalled(app)).toEqual(new Set([`@tensorflow/tfjs-core@${APP_TFJS}`]));
  });
});

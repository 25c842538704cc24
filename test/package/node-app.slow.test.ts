/**
 * The packed tarball in a fresh Node ESM project, on the lowest and highest TF.js 4.x the
 * peerDependencies allow: one tfjs-core (the app's), and the same logits as PyTorch. Without the
 * optional peers (sharp, webgpu) the API and the CLI say what to install, and the declarations
 * compile in a project without DOM.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerApp, readmeTsBlock, REPO_ROOT, repoVersion, typeCheckApp, type ConsumerApp } from '../../tools/package/index.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { FIXTURES } from '../../tools/paths.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { peerDependencies: Record<string, string> };
const TFJS_PACKAGES = Object.keys(manifest.peerDependencies).filter((name) => name.startsWith('@tensorflow/'));
/** The ends of the peer range `^4.20.0`: the oldest release it admits and the newest one there is. */
const TFJS_VERSIONS = ['4.20.0', repoVersion('@tensorflow/tfjs-core')];
const SEED_PIXELS = `${FIXTURES}/seedA/images_u8_nhwc_4x299x299x3.bin`;
/** float32 weights on wasm reach 2e-5 of PyTorch (README's weight-types table). */
const LOGIT_TOLERANCE = 1e-4;

/** Every tfjs-core version `npm ls` finds in the app's tree, nested copies included. */
function tfjsCoreVersions(app: ConsumerApp): string[] {
  const tree = app.run('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--parseable', '--long']);
  return [...new Set(tree.split('\n').filter((line) => line.includes('@tensorflow/tfjs-core@')).map((line) => line.split('@').pop()))].map(String);
}

describe.each(TFJS_VERSIONS)('a Node project on TF.js %s', (version) => {
  let app: ConsumerApp;
  beforeAll(() => {
    app = createConsumerApp({
      template: 'node-app',
      deps: Object.fromEntries(TFJS_PACKAGES.map((name) => [name, version])),
    });
  });
  afterAll(() => app?.dispose());

  it('has one tfjs-core, the app’s', () => {
    expect(tfjsCoreVersions(app)).toEqual([version]);
  });

  it('classifies with the app’s TF.js, matches PyTorch, and no kernel or platform registers twice', async () => {
    const run = app.spawn('node', ['classify-seed.js', await syntheticModelDir('float32'), SEED_PIXELS]);
    expect(run.status, run.stderr).toBe(0);
    // What a second tfjs-core prints for every kernel and for the platform.
    expect(run.stderr).not.toMatch(/already registered|already been set/);
    const out = JSON.parse(run.stdout) as {
      backend: string;
      tfjsCore: string;
      logits: number[];
    };
    expect(out.tfjsCore).toBe(version);
    expect(out.backend).toBe('wasm');
    expect(maxAbsDiff(out.logits, seedALogits(0))).toBeLessThanOrEqual(LOGIT_TOLERANCE);
  });
});

describe('a Node project with the package alone (no sharp, no webgpu)', () => {
  let app: ConsumerApp;
  beforeAll(() => {
    app = createConsumerApp({ template: 'node-app', deps: { '@types/node': repoVersion('@types/node') } });
  });
  afterAll(() => app?.dispose());

  it('installs neither sharp nor webgpu', () => {
    for (const name of ['sharp', 'webgpu']) {
      expect(app.spawn('node', ['--input-type=module', '-e', `await import('${name}')`]).stderr).toContain(`Cannot find package '${name}'`);
    }
  });

  it('API: decodeImage and the webgpu backend throw E_MISSING_PACKAGE naming the install command', async () => {
    const out = JSON.parse(app.run('node', ['missing-packages.js', await syntheticModelDir('float32'), `${FIXTURES}/photos/astronaut.jpg`])) as Record<
      string,
      { code: string; message: string }
    >;
    expect(out.sharp?.code).toBe('E_MISSING_PACKAGE');
    expect(out.sharp?.message).toContain('npm install sharp');
    expect(out.webgpu?.code).toBe('E_MISSING_PACKAGE');
    expect(out.webgpu?.message).toContain('npm install webgpu');
  });

  it('CLI: classify reports E_MISSING_PACKAGE on one line, no stack trace', async () => {
    const model = await syntheticModelDir('float32');
    const result = app.spawn('npx', ['inception-webgpu', 'classify', `${FIXTURES}/photos/astronaut.jpg`, '--model', model]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('E_MISSING_PACKAGE');
    expect(result.stderr).toContain('npm install sharp');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('type-checks types.ts and the README’s converter example: lib es2022 without DOM, nodenext, skipLibCheck false', () => {
    // types.ts expects errors for classify(42) and a misspelt code (@ts-expect-error), so they count too.
    writeFileSync(join(app.dir, 'converter-example.ts'), readmeTsBlock('## Converter API'));
    expect(typeCheckApp(app).ours).toEqual([]);
  });
});


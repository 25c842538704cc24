/**
 * `inception-webgpu train` and `classify --tagger` as a user runs them (wasm, synthetic weights):
 * a folder with a subfolder per tag — 3 crops of the cat photo, 3 of the coffee photo — and a
 * held-out crop of each to classify.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaggerJSON } from '../../src/node/index.js';
import { FIXTURES } from '../../tools/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

const SOURCES = { cat: 'chelsea_rgba.png', coffee: 'coffee_small.png' } as const;
/** Crop boxes as fractions of the photo [left, top, width, height]; the last is held out. */
const CROPS = [
  [0, 0, 0.8, 0.8],
  [0.2, 0.2, 0.8, 0.8],
  [0.1, 0, 0.75, 0.9],
  [0.05, 0.1, 0.85, 0.85],
] as const;

let dir: string;
let model: string;
const heldOut: Record<string, string> = {};

async function writeCrop(source: string, [left = 0, top = 0, width = 1, height = 1]: readonly number[], out: string): Promise<void> {
  const { width: w = 0, height: h = 0 } = await sharp(source).metadata();
  const box = { left: Math.round(left * w), top: Math.round(top * h), width: Math.round(width * w), height: Math.round(height * h) };
  await sharp(source).extract(box).png().toFile(out);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-train-'));
  model = await syntheticModelDir('float32');
  for (const [label, file] of Object.entries(SOURCES)) {
    mkdirSync(join(dir, 'tags', label), { recursive: true });
    for (const [i, crop] of CROPS.slice(0, -1).entries()) await writeCrop(`${FIXTURES}/photos/${file}`, crop, join(dir, 'tags', label, `${i}.png`));
    heldOut[label] = join(dir, `held-out-${label}.png`);
    await writeCrop(`${FIXTURES}/photos/${file}`, CROPS.at(-1) ?? [], heldOut[label]);
  }
  // Skipped: a note beside the photos, and a hidden folder.
  writeFileSync(join(dir, 'tags', 'cat', 'notes.txt'), 'not a photo');
  mkdirSync(join(dir, 'tags', '.thumbnails'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tags = () => join(dir, 'tags');
const readTagger = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as TaggerJSON;

describe('inception-webgpu train', () => {
  it('--help documents every option', async () => {
    const { code, stdout } = await runCli(['train', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--model', '--out', '--mode', 'linear', 'knn', '--epochs', '--augment', '--backend', '--preprocess']) expect(stdout).toContain(flag);
  });

  it('--mode linear --augment: 3 photos × 4 per tag, trains with progress, writes a trained tagger', async () => {
    const out = join(dir, 'linear.json');
    const { code, stdout, stderr } = await runCli(['train', tags(), '--model', model, '--out', out, '--augment', '--epochs', '20']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('cat: 3 photo(s), 12 example(s)');
    expect(stderr).toContain('coffee: 3 photo(s), 12 example(s)');
    expect(stderr).toMatch(/^epoch 20\/20: loss \d\.\d{4}, accuracy 100\.0%$/m);
    expect(stdout).toBe(`wrote ${out}: 2 tags, 24 examples, linear head at 100.0% training accuracy\n`);
    const json = readTagger(out);
    expect(json.classes.map((c) => c.label)).toEqual(['cat', 'coffee']);
    expect(json.head).not.toBeNull();
  });

  it('classify --tagger --json: each held-out crop gets its tag beside the ImageNet top-k', async () => {
    const files = [heldOut.cat, heldOut.coffee] as string[];
    const { code, stdout, stderr } = await runCli(['classify', ...files, '--model', model, '--tagger', join(dir, 'linear.json'), '--json', '--top', '2']);
    expect(code, stderr).toBe(0);
    const entries = JSON.parse(stdout) as { file: string; top: unknown[]; tags: { label: string; probability: number }[] }[];
    expect(entries.map((e) => Object.keys(e))).toEqual([['file', 'top', 'tags'], ['file', 'top', 'tags']]);
    expect(entries.map((e) => e.tags[0]?.label)).toEqual(['cat', 'coffee']);
    for (const entry of entries) {
      expect(entry.top).toHaveLength(2);
      expect(entry.tags).toHaveLength(2);
      expect(entry.tags[0]?.probability).toBeGreaterThan(0.5);
    }
  });

  it('--mode knn keeps the examples only; classify --tagger prints the tags as text', async () => {
    const out = join(dir, 'knn.json');
    const trained = await runCli(['train', tags(), '--model', model, '--out', out, '--mode', 'knn']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toBe(`wrote ${out}: 2 tags, 6 examples (kNN)\n`);
    expect(readTagger(out).head).toBeNull();
    const { code, stdout, stderr } = await runCli(['classify', heldOut.coffee as string, '--model', model, '--tagger', out, '--top', '1']);
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')).toEqual([heldOut.coffee, expect.stringMatching(/^\s+\d+\s+\d+\.\d\d%\s+\S/), expect.stringMatching(/^ {2}tags: coffee \d+\.\d\d%$/), '']);
  });

  it('a tagger of another model fails classify once, with E_TAGGER_MISMATCH', async () => {
    const foreign = join(dir, 'foreign.json');
    const json = readTagger(join(dir, 'knn.json'));
    writeFileSync(foreign, JSON.stringify({ ...json, model: { ...json.model, weightsSha256: 'f'.repeat(64) } }));
    const { code, stdout, stderr } = await runCli(['classify', heldOut.cat as string, '--model', model, '--tagger', foreign]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^inception-webgpu: E_TAGGER_MISMATCH: .*taught on another model/)]);
  });

  it('exits 2 on usage errors', async () => {
    const usage = [
      ['train', '--model', model, '--out', 'x.json'],
      ['train', tags(), '--model', model],
      ['train', tags(), '--out', 'x.json'],
      ['train', tags(), '--model', model, '--out', 'x.json', '--mode', 'svm'],
      ['train', tags(), '--model', model, '--out', 'x.json', '--epochs', '0'],
      ['train', join(dir, 'nowhere'), '--model', model, '--out', 'x.json'],
      ['classify', heldOut.cat as string, '--model', model, '--tagger', join(dir, 'missing.json')],
    ];
    for (const args of usage) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('see --help');
    }
  });

  it('exits 1 with a typed error on an unusable folder, before loading the model', async () => {
    mkdirSync(join(dir, 'one', 'cat'), { recursive: true });
    writeFileSync(join(dir, 'one', 'cat', 'a.png'), '');
    mkdirSync(join(dir, 'empty-tag', 'cat'), { recursive: true });
    mkdirSync(join(dir, 'empty-tag', 'dog'), { recursive: true });
    writeFileSync(join(dir, 'empty-tag', 'dog', 'notes.txt'), '');
    mkdirSync(join(dir, 'flat'));
    for (const [folder, code] of [
      ['one', /E_NEED_TWO_CLASSES: .*only has 'cat'.*--mode knn/],
      ['empty-tag', /E_EMPTY_CLASS: .*'.*empty-tag\/cat' has no JPEG, PNG or WebP photos/],
      ['flat', /E_NO_EXAMPLES: .*has no subfolders/],
    ] as const) {
      const result = await runCli(['train', join(dir, folder), '--model', model, '--out', join(dir, 'x.json')]);
      expect(result.code, folder).toBe(1);
      expect(result.stderr).toMatch(code);
    }
  });
});

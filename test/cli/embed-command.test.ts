/**
 * `inception-webgpu embed` as a user runs it: the embedding is checked against PyTorch through the
 * synthetic model's own fc layer (fc(embedding) must give PyTorch's logits), plus the exact
 * --json shape, per-file errors and exit codes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStateDict } from '../../converter/synthetic/synthetic-state-dict.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { runCli } from '../helpers/run-cli.js';
import { writeSeedAPng } from '../helpers/seed-a-png.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

let dir: string;
let model: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-embed-'));
  model = await syntheticModelDir('float32');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const photo = (file: string) => `${PHOTOS}/${file}`;

/** The synthetic weights' final layer: logits = fc.weight · embedding + fc.bias. */
function fcLayer(): (embedding: readonly number[]) => Float64Array {
  const state = syntheticStateDict();
  const weight = state.get('fc.weight')?.data as Float32Array;
  const bias = state.get('fc.bias')?.data as Float32Array;
  return (embedding) =>
    Float64Array.from(bias, (b, k) => embedding.reduce((sum, e, j) => sum + e * (weight[k * embedding.length + j] ?? NaN), b));
}

describe('inception-webgpu embed', () => {
  it('--help documents every option', async () => {
    const { code, stdout } = await runCli(['embed', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--model', '--backend', 'wasm', 'cpu', 'webgpu', '--json', '--preprocess', 'torchvision', 'none', '2048']) {
      expect(stdout).toContain(flag);
    }
  });

  it('--json: [{file, embedding: 2048 numbers}] per file, and fc(embedding) gives PyTorch logits within 0.02', async () => {
    const files = ['hubble_portrait.jpg', 'chelsea_rgba.png'];
    const { code, stdout, stderr } = await runCli(['embed', ...files.map(photo), '--model', model, '--json']);
    expect(code, stderr).toBe(0);
    const entries = JSON.parse(stdout) as { file: string; embedding: number[] }[];
    expect(entries.map((e) => e.file)).toEqual(files.map(photo));
    const fc = fcLayer();
    entries.forEach((entry, i) => {
      expect(Object.keys(entry)).toEqual(['file', 'embedding']);
      expect(entry.embedding).toHaveLength(2048);
      expect(maxAbsDiff(fc(entry.embedding), photoLogits(files[i] ?? ''))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
    });
  });

  it('--preprocess none: a 299×299 image is embedded, others fail on their own (exit 1); summary without --json', async () => {
    const seedA = await writeSeedAPng(join(dir, 'seedA-1.png'), 1);
    const corrupt = join(dir, 'broken.png');
    writeFileSync(corrupt, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const { code, stdout, stderr } = await runCli(['embed', photo('coffee_small.png'), seedA, corrupt, '--model', model, '--preprocess', 'none']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^inception-webgpu: .*coffee_small\.png: E_INVALID_INPUT: .*200×133/m);
    expect(stderr).toMatch(/^inception-webgpu: .*broken\.png: E_DECODE_FAILED: /m);
    expect(stdout).toMatch(new RegExp(`^${seedA}\\n  2048-d, L2 norm \\d+\\.\\d{4}: (-?\\d+\\.\\d{4} ){6}… \\(--json for all values\\)\\n$`));
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [[photo('astronaut.jpg')], ['--model', model], [photo('astronaut.jpg'), '--model', model, '--top', '3']]) {
      const { code, stderr } = await runCli(['embed', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('see --help');
    }
  });
});

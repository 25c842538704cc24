/**
 * `inception-webgpu classify` as a user runs it (wasm unless stated): real photos against PyTorch's
 * logits, the exact --json shape, per-file errors, exit codes. Each run loads the model, so the
 * checks are grouped into few runs.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_FILES, PHOTO_EXACT_TOLERANCE, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { runCli } from '../helpers/run-cli.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { writeSeedAPng } from '../helpers/seed-a-png.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

interface Entry {
  file: string;
  top?: { index: number; label: string; probability: number }[];
  logits?: number[];
  error?: { code: string; message: string };
}

let dir: string;
let model: string;
let webp: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-classify-'));
  model = await syntheticModelDir('float32');
  // Lossless, so PyTorch's logits for the PNG it comes from still apply.
  webp = join(dir, 'coffee.webp');
  await sharp(`${PHOTOS}/coffee_small.png`).webp({ lossless: true }).toFile(webp);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const photo = (file: string) => `${PHOTOS}/${file}`;

async function classifyJson(args: string[]): Promise<{ code: number; stderr: string; entries: Entry[] }> {
  const { code, stdout, stderr } = await runCli(['classify', '--model', model, '--json', ...args]);
  return { code, stderr, entries: JSON.parse(stdout) as Entry[] };
}

describe('inception-webgpu classify', () => {
  it('--help documents every option', async () => {
    const { code, stdout } = await runCli(['classify', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--model', '--backend', 'wasm', 'cpu', 'webgpu', '--top', '--json', '--logits', '--preprocess', 'torchvision', 'none', 'WebP']) {
      expect(stdout).toContain(flag);
    }
  });

  it('all photos and a WebP in one batch: PyTorch top-1 and logits within 0.02, each tied to its file', async () => {
    const files = [...PHOTO_FILES.map(photo), webp];
    const { code, stderr, entries } = await classifyJson([...files, '--logits', '--top', '3']);
    expect(code, stderr).toBe(0);
    expect(entries.map((e) => e.file)).toEqual(files);
    for (const entry of entries) {
      const expected = photoLogits(entry.file === webp ? 'coffee_small.png' : entry.file.slice(PHOTOS.length + 1));
      expect(Object.keys(entry)).toEqual(['file', 'top', 'logits']);
      expect(entry.logits).toHaveLength(1000);
      expect(maxAbsDiff(entry.logits ?? [], expected), entry.file).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
      expect(entry.top).toHaveLength(3);
      expect(entry.top?.[0]?.index, entry.file).toBe(topK(expected, 1)[0]);
      for (const p of entry.top ?? []) expect(Object.keys(p)).toEqual(['index', 'label', 'probability']);
    }
    expect(entries[0]?.top?.[0]?.label).toBe('sunglass');
  });

  it('--preprocess none: a 299×299 PNG matches PyTorch to 1e-3; a photo of another size fails on its own', async () => {
    const seedA = await writeSeedAPng(join(dir, 'seedA-0.png'));
    const { code, stderr, entries } = await classifyJson([photo('astronaut.jpg'), seedA, '--preprocess', 'none', '--logits']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^inception-webgpu: .*astronaut\.jpg: E_INVALID_INPUT: .*299×299/m);
    expect(entries[0]).toEqual({ file: photo('astronaut.jpg'), error: { code: 'E_INVALID_INPUT', message: expect.stringContaining('512×512') } });
    expect(entries[1]?.file).toBe(seedA);
    expect(maxAbsDiff(entries[1]?.logits ?? [], seedALogits(0))).toBeLessThanOrEqual(1e-3);
    expect(entries[1]?.top).toHaveLength(5);
  });

  it('a corrupt or missing file among good ones: reported alone on stderr, the rest classified, exit 1', async () => {
    const corrupt = join(dir, 'corrupt.jpg');
    writeFileSync(corrupt, 'not a JPEG at all');
    const missing = join(dir, 'missing.png');
    const { code, stdout, stderr } = await runCli(['classify', photo('rocket_strip.jpg'), corrupt, missing, photo('camera_gray.png'), '--model', model]);
    expect(code).toBe(1);
    const errors = stderr.split('\n').filter((line) => line.startsWith('inception-webgpu: '));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^inception-webgpu: .*corrupt\.jpg: E_DECODE_FAILED: /);
    expect(errors[1]).toMatch(/^inception-webgpu: .*missing\.png: E_INVALID_INPUT: .*no such file/);
    // A readable table: each good file, then its top 5 (index, probability, label).
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe(photo('rocket_strip.jpg'));
    expect(lines[1]).toMatch(/^\s+836\s+\d+\.\d\d%\s+sunglass$/);
    expect(lines[6]).toBe(photo('camera_gray.png'));
    expect(lines[7]).toMatch(/^\s+442\s+\d+\.\d\d%\s+bell cote, bell cot$/);
  });

  it('--backend cpu agrees with PyTorch (one image: the cpu backend is slow)', async () => {
    const { code, stderr, entries } = await classifyJson([photo('coffee_small.png'), '--backend', 'cpu', '--logits', '--top', '1']);
    expect(code, stderr).toBe(0);
    expect(maxAbsDiff(entries[0]?.logits ?? [], photoLogits('coffee_small.png'))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
    expect(entries[0]?.top?.[0]?.index).toBe(365);
  }, 240_000);

  it('exits 2 on usage errors, 1 when the model is missing', async () => {
    const image = photo('astronaut.jpg');
    for (const args of [
      [image],
      ['--model', model],
      [image, '--model', model, '--backend', 'webgl'],
      [image, '--model', model, '--preprocess', 'imagenet'],
      [image, '--model', model, '--top', '0'],
      [image, '--model', model, '--bogus'],
    ]) {
      const { code, stderr } = await runCli(['classify', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('see --help');
    }
    const { code, stderr } = await runCli(['classify', image, '--model', join(dir, 'no-model')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^inception-webgpu: E_MODEL_NOT_FOUND: /);
  });
});

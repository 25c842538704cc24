/**
 * A fine-tuned checkpoint through the CLI, as the README tells a user: `convert --labels`, then
 * `classify --json` shows the user's labels and PyTorch's logits (exact 299×299 crops, 1e-3).
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINETUNE, FINETUNE_CASES, FT7_LABELS_FILE } from '../helpers/finetune-fixtures.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { runCli } from '../helpers/run-cli.js';
import { writeSeedAPng } from '../helpers/seed-a-png.js';

interface Entry {
  file: string;
  top: { index: number; label: string; probability: number }[];
  logits: number[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-cli-finetune-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a fine-tuned 7-class checkpoint through the CLI', () => {
  it('convert --labels class_to_idx.json, then classify --json shows those labels and PyTorch logits', async () => {
    const out = join(dir, 'ft7');
    const convert = await runCli(['convert', join(FINETUNE, 'ft7.pth'), '--labels', FT7_LABELS_FILE, '--out', out]);
    expect(convert.code, convert.stderr).toBe(0);
    expect(convert.stdout).toContain("weights from 'state_dict'");
    expect(convert.stdout).toMatch(/7 classes/);

    const images = await Promise.all([0, 2].map((i) => writeSeedAPng(join(dir, `seedA-${i}.png`), i)));
    const classify = await runCli(['classify', '--model', out, '--json', '--logits', '--top', '10', '--preprocess', 'none', ...images]);
    expect(classify.code, classify.stderr).toBe(0);
    const entries = JSON.parse(classify.stdout) as Entry[];
    const want = FINETUNE_CASES.ft7;
    for (const [n, entry] of entries.entries()) {
      const logits = want.logits?.[[0, 2][n] as number] ?? [];
      expect(maxAbsDiff(entry.logits, logits)).toBeLessThanOrEqual(1e-3);
      // topK clamps to the 7 classes; every label is the user's, at its class_to_idx index.
      expect(entry.top).toHaveLength(7);
      for (const { index, label } of entry.top) expect(label).toBe(want.labels[index]);
      const best = logits.indexOf(Math.max(...logits));
      expect(entry.top[0]?.label).toBe(want.labels[best]);
    }
  }, 60_000);

  it('without labels: exit 1 with E_NO_LABELS saying how to pass them; a bad --normalization is a usage error', async () => {
    const missing = await runCli(['convert', join(FINETUNE, 'ft7.pth'), '--out', join(dir, 'never')]);
    expect(missing.code).toBe(1);
    // The hash progress comes first; the error is the last line.
    expect(missing.stderr.trim().split('\n').at(-1)).toMatch(/^inception-webgpu: E_NO_LABELS: .*7-class head.*--labels FILE.*--labels none/);
    const usage = await runCli(['convert', join(FINETUNE, 'ft7.pth'), '--out', join(dir, 'never'), '--normalization', 'caffe']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--normalization must be inception or imagenet, got 'caffe'");
  });
});

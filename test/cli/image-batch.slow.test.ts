/**
 * `classify` over a folder as a user would run it: a 49 MP photo, ordinary photos and broken
 * files in one batch. Every file gets its own line, and the 49 MP photo is read in strips, so the
 * whole run stays under 1.5 GB of peak memory (it peaked at 3.1 GB reading the photo whole).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../../tools/paths.js';
import { PHOTOS } from '../../tools/reference/photo-logits.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

let dir: string;
let model: string;
const BIG_SIDE = 7000; // 49 MP

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iw-batch-'));
  model = await syntheticModelDir('float32');
  const pixels = Buffer.alloc(BIG_SIDE * BIG_SIDE * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 12)) & 255;
  await sharp(pixels, { raw: { width: BIG_SIDE, height: BIG_SIDE, channels: 3 } }).jpeg({ quality: 80 }).toFile(join(dir, 'big-49mp.jpg'));
  for (const photo of ['astronaut.jpg', 'coffee_small.png']) copyFileSync(join(PHOTOS, photo), join(dir, photo));
  writeFileSync(join(dir, 'corrupt.jpg'), 'not an image');
  writeFileSync(join(dir, 'empty.png'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `classify --json` in a child process and returns its entries and its peak memory. */
function classify(files: string[]): Promise<{ entries: { file: string; top?: unknown[]; error?: { code: string } }[]; maxRssMiB: number }> {
  const script = [
    `import { runClassify } from ${JSON.stringify(`${ROOT}cli/classify-command.ts`)};`,
    `await runClassify(${JSON.stringify(['--model', model, '--json', '--top', '1', ...files])});`,
    `process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n');`,
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const rss = /MAXRSS (\d+)/.exec(stderr);
      if (!rss) return reject(new Error(`no MAXRSS in stderr: ${stderr} ${String(error)}`));
      resolve({ entries: JSON.parse(stdout), maxRssMiB: Number(rss[1]) / 1024 });
    });
  });
}

it('a 49 MP photo among good and broken files: one result or one typed error per file, peak memory under 1.5 GB', async () => {
  const names = ['astronaut.jpg', 'big-49mp.jpg', 'corrupt.jpg', 'coffee_small.png', 'empty.png'];
  const { entries, maxRssMiB } = await classify(names.map((name) => join(dir, name)));
  expect(entries.map((e) => e.file)).toEqual(names.map((name) => join(dir, name)));
  const outcome = (e: (typeof entries)[number]) => e.error?.code ?? (e.top?.length === 1 ? 'top' : 'nothing');
  expect(entries.map(outcome)).toEqual(['top', 'top', 'E_DECODE_FAILED', 'top', 'E_DECODE_FAILED']);
  expect(maxRssMiB).toBeLessThan(1536);
});

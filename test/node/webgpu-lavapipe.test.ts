/**
 * The CLI on `--backend webgpu` in Node: Dawn (npm `webgpu`) on Mesa 25's lavapipe, a software
 * Vulkan driver that scripts/setup-lavapipe.sh fetches into .cache/lavapipe. Compared with
 * PyTorch like the wasm tests. Lavapipe is slow (about a minute per run, mostly compiling
 * shaders), so one forward pass per preprocessing mode. If lavapipe cannot be set up the test
 * fails, saying why: it never skips.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lavapipeEnv } from '../../tools/gpu/lavapipe.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { webgpuCliLogits } from '../helpers/seed-a-parity.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { writeSeedAPng } from '../helpers/seed-a-png.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

/** fp32 WebGPU vs PyTorch on seedA: lavapipe measured 1.7e-5; the bound leaves room for other drivers. */
const SEED_A_TOLERANCE = 1e-4;

let dir: string;
let model: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-webgpu-'));
  model = await syntheticModelDir('float32');
  env = await lavapipeEnv();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const webgpuLogits = (image: string, preprocess: string) => webgpuCliLogits(image, model, preprocess, env);

describe('Node WebGPU (Dawn on lavapipe) through the CLI', () => {
  it(`seedA with --preprocess none matches PyTorch within ${SEED_A_TOLERANCE}`, async () => {
    const logits = await webgpuLogits(await writeSeedAPng(join(dir, 'seedA-0.png')), 'none');
    expect(maxAbsDiff(logits, seedALogits(0))).toBeLessThanOrEqual(SEED_A_TOLERANCE);
  }, 300_000);

  it('a real photo matches PyTorch within 0.02', async () => {
    const logits = await webgpuLogits(`${PHOTOS}/hubble_portrait.jpg`, 'torchvision');
    const expected = photoLogits('hubble_portrait.jpg');
    expect(maxAbsDiff(logits, expected)).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
    expect(topK(logits, 1)).toEqual(topK(expected, 1));
  }, 300_000);
});

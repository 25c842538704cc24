/**
 * Every input type the SDK accepts, in Chromium with its GPU-backed canvas: the same picture
 * given as each kind must give PyTorch's logits. EXIF orientation, grey and RGBA PNGs, and typed
 * errors for inputs that are not usable images.
 *
 * The model runs on WASM here (about 1 s per image against 10 s on SwiftShader WebGL): reading an
 * input is the same on every backend up to tf.browser.fromPixels, whose WebGL upload of the
 * decoded bitmap parity.test.ts covers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessSession } from '../helpers/browser-harness.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { PHOTO_EXACT_TOLERANCE, PHOTO_TOLERANCE, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { INPUT_KINDS, type InputKind } from './harness/input-kinds.js';
import { openSdkPage, photoUrl } from './sdk-page.js';

/** Small and opaque, so every kind (canvas, video, ...) carries exactly the same pixels. */
const PHOTO = 'coffee_small.png';
const GENERATED = '/generated/';

let session: HarnessSession;
let generatedDir: string;

/**
 * A portrait JPEG stored sideways with EXIF orientation 6 ("rotate 90° clockwise to show"), and
 * its decoded pixels as lossless PNGs: oriented by sharp (upright) and as stored (sideways).
 */
async function writeExifFixtures(dir: string): Promise<void> {
  const jpeg = await sharp(`${PHOTOS}/hubble_portrait.jpg`).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
  writeFileSync(join(dir, 'exif-6.jpg'), jpeg);
  await sharp(jpeg).autoOrient().png().toFile(join(dir, 'upright.png'));
  await sharp(jpeg).png().toFile(join(dir, 'sideways.png'));
}

beforeAll(async () => {
  generatedDir = mkdtempSync(join(tmpdir(), 'inception-inputs-'));
  await writeExifFixtures(generatedDir);
  session = await openSdkPage('webgl', { mounts: { [GENERATED]: generatedDir } });
  await session.page.evaluate(async () => {
    await window.sdkFixtures.load('wasm', { backend: 'wasm', warmup: false });
    await window.sdkFixtures.load('small', { backend: 'wasm', warmup: false, maxPixels: 10_000 });
  });
});
afterAll(async () => {
  await session?.close();
  rmSync(generatedDir, { recursive: true, force: true });
});

const logitsOf = (kind: InputKind, url: string): Promise<number[]> =>
  session.page.evaluate(([kind, url]) => window.sdkFixtures.logitsOf('wasm', kind, url), [kind, url] as const);

describe(`the same photo (${PHOTO}) as every input kind gives PyTorch's logits`, () => {
  it.each(INPUT_KINDS)('%s', async (kind) => {
    const logits = await logitsOf(kind, photoUrl(PHOTO));
    expect(maxAbsDiff(logits, photoLogits(PHOTO))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
    expect(topK(logits, 1)).toEqual(topK(photoLogits(PHOTO), 1));
  });
});

describe('EXIF orientation 6 is applied', () => {
  it.each(['Blob', 'HTMLImageElement'] as const)('%s', async (kind) => {
    const exif = await logitsOf(kind, `${GENERATED}exif-6.jpg`);
    const upright = await logitsOf('Blob', `${GENERATED}upright.png`);
    const sideways = await logitsOf('Blob', `${GENERATED}sideways.png`);
    // Two JPEG decoders (sharp wrote upright.png, Chromium decodes exif-6.jpg): not bit-identical.
    expect(maxAbsDiff(exif, upright)).toBeLessThanOrEqual(PHOTO_TOLERANCE);
    // The check can fail: ignoring the tag gives logits this far off (measured 0.22).
    expect(maxAbsDiff(sideways, upright)).toBeGreaterThan(5 * PHOTO_TOLERANCE);
  });
});

// parity.test.ts checks them as URL strings (decoded from a Blob); here as <img>, drawn by the browser.
describe('grey and RGBA PNGs as HTMLImageElement match PyTorch', () => {
  it.each(['camera_gray.png', 'chelsea_rgba.png'])('%s', async (file) => {
    expect(maxAbsDiff(await logitsOf('HTMLImageElement', photoUrl(file)), photoLogits(file))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
  });
});

it('rejects unusable inputs with typed errors whose code crosses page.evaluate', async () => {
  const errors = await session.page.evaluate(async (url) => {
    const { classifier, errorOf } = window.sdkFixtures;
    const wasm = classifier('wasm');
    const emptyCanvas = Object.assign(document.createElement('canvas'), { width: 0, height: 0 });
    const matrix = window.tf.zeros([4, 4]);
    const corrupt = new Blob([new TextEncoder().encode('not really a JPEG')], { type: 'image/jpeg' });
    const photo = await (await fetch(url)).blob();
    try {
      return {
        plainObject: await errorOf(() => wasm.classify({} as never)),
        number: await errorOf(() => wasm.classify(42 as never)),
        matrixTensor: await errorOf(() => wasm.classify(matrix as never)),
        emptyCanvas: await errorOf(() => wasm.classify(emptyCanvas)),
        overMaxPixels: await errorOf(() => classifier('small').classify(photo)),
        corruptBlob: await errorOf(() => wasm.classify(corrupt)),
      };
    } finally {
      matrix.dispose();
    }
  }, photoUrl(PHOTO));
  expect(Object.fromEntries(Object.entries(errors).map(([name, error]) => [name, error?.code]))).toEqual({
    plainObject: 'E_INVALID_INPUT',
    number: 'E_INVALID_INPUT',
    matrixTensor: 'E_INVALID_INPUT',
    emptyCanvas: 'E_EMPTY_IMAGE',
    overMaxPixels: 'E_IMAGE_TOO_LARGE',
    corruptBlob: 'E_DECODE_FAILED',
  });
  for (const error of Object.values(errors)) expect(error?.message.length).toBeGreaterThan(20);
});

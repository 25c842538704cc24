/** Node decoding matches PIL's `Image.open(f).convert('RGB')` with EXIF orientation applied. */
import '@tensorflow/tfjs-backend-cpu';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/node/index.js';
import { FIXTURES } from '../../tools/paths.js';

const PHOTO = `${FIXTURES}/photos/astronaut.jpg`;

async function pixels(source: string | Uint8Array): Promise<{ shape: number[]; data: Int32Array }> {
  const tensor = await decodeImage(source);
  const result = { shape: tensor.shape, data: (await tensor.data()) as Int32Array };
  tensor.dispose();
  return result;
}

/** The same PNG with every chunk of `type` removed (chunks: length, type, data, CRC). */
function withoutPngChunk(png: Uint8Array, type: string): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const kept: Uint8Array[] = [png.subarray(0, 8)];
  for (let at = 8; at < png.length; ) {
    const end = at + 12 + view.getUint32(at);
    if (new TextDecoder().decode(png.subarray(at + 4, at + 8)) !== type) kept.push(png.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}

describe('decodeImage', () => {
  it('ignores an embedded ICC profile, as PIL does', async () => {
    const tagged = await sharp(PHOTO).resize(48, 32).withIccProfile('p3').png().toBuffer();
    const untagged = withoutPngChunk(tagged, 'iCCP');
    expect(untagged.length).toBeLessThan(tagged.length);
    const a = await pixels(untagged);
    const b = await pixels(tagged);
    expect(b.shape).toEqual(a.shape);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('applies EXIF orientation (6 = rotate 90° clockwise)', async () => {
    const upright = await sharp(PHOTO).resize(16, 8).png().toBuffer();
    // Store the pixels rotated back, and tag them so a viewer rotates them upright again.
    const stored = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).png().toBuffer();
    const a = await pixels(upright);
    const b = await pixels(stored);
    expect(b.shape).toEqual([8, 16, 3]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('expands grayscale to three equal channels and drops alpha without compositing', async () => {
    const grayPng = await sharp(new Uint8Array([7, 250]), { raw: { width: 2, height: 1, channels: 1 } }).png().toBuffer();
    expect(Array.from((await pixels(grayPng)).data)).toEqual([7, 7, 7, 250, 250, 250]);
    const rgba = new Uint8Array([10, 20, 30, 0, 200, 100, 50, 128]);
    const png = await sharp(rgba, { raw: { width: 2, height: 1, channels: 4 } }).png().toBuffer();
    expect(Array.from((await pixels(png)).data)).toEqual([10, 20, 30, 200, 100, 50]);
  });
});

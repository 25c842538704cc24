import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageInfo } from '../../demo/image-header.js';
import { rejectBeforeDecoding } from '../../demo/photo-check.js';
import { FIXTURES } from '../../tools/paths.js';

const solid = (width: number, height: number, alpha = false) =>
  sharp({ create: { width, height, channels: alpha ? 4 : 3, background: { r: 90, g: 160, b: 120, alpha: 0.5 } } });

describe('demo: image headers', () => {
  it('reads the size of the fixture photos without decoding them', () => {
    for (const [file, size] of [['astronaut.jpg', [512, 512]], ['hubble_portrait.jpg', [500, 872]], ['chelsea_rgba.png', [451, 300]], ['rocket_strip.jpg', [640, 80]]] as const) {
      const info = readImageInfo(readFileSync(`${FIXTURES}/photos/${file}`));
      expect([info?.width, info?.height], file).toEqual(size);
    }
  });

  it('reads GIF, WebP (lossy, lossless, extended) and progressive JPEG sizes', async () => {
    const cases = {
      gif: await solid(33, 21).gif().toBuffer(),
      lossy: await solid(301, 17).webp({ quality: 50 }).toBuffer(),
      lossless: await solid(1025, 3).webp({ lossless: true }).toBuffer(),
      extended: await solid(77, 55, true).webp({ quality: 50, alphaQuality: 50 }).toBuffer(),
      progressive: await solid(640, 481).jpeg({ progressive: true }).withMetadata({ exif: { IFD0: { Copyright: 'x'.repeat(3000) } } }).toBuffer(),
    };
    expect(readImageInfo(cases.gif)).toEqual({ format: 'gif', width: 33, height: 21 });
    expect(readImageInfo(cases.lossy)).toEqual({ format: 'webp', width: 301, height: 17 });
    expect(readImageInfo(cases.lossless)).toEqual({ format: 'webp', width: 1025, height: 3 });
    expect(readImageInfo(cases.extended)).toEqual({ format: 'webp', width: 77, height: 55 });
    expect(readImageInfo(cases.progressive)).toEqual({ format: 'jpeg', width: 640, height: 481 });
  });

  it('reads a BMP header, and knows AVIF/HEIC by their brand', () => {
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeInt32LE(120, 18);
    bmp.writeInt32LE(-80, 22); // top-down rows
    expect(readImageInfo(bmp)).toEqual({ format: 'bmp', width: 120, height: 80 });
    const avif = Buffer.from('\0\0\0\x1cftypavif\0\0\0\0', 'latin1');
    expect(readImageInfo(avif)).toEqual({ format: 'avif' });
    const mp4 = Buffer.from('\0\0\0\x1cftypisom\0\0\0\0', 'latin1');
    expect(readImageInfo(mp4)).toBeUndefined();
  });

  it('calls text "not an image" and leaves a truncated header to the decoder', () => {
    expect(readImageInfo(Buffer.from('hello, world'))).toBeUndefined();
    expect(readImageInfo(Buffer.alloc(0))).toBeUndefined();
    expect(readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toEqual({ format: 'jpeg' });
    expect(readImageInfo(readFileSync(`${FIXTURES}/photos/astronaut.jpg`).subarray(0, 12))).toEqual({ format: 'jpeg' });
  });

  it('refuses a 12000×12000 photo and a text file before decoding, and lets a normal photo through', async () => {
    const huge = new Blob([new Uint8Array(await solid(12000, 12000).png({ compressionLevel: 1 }).toBuffer())], { type: 'image/png' });
    expect(await rejectBeforeDecoding(huge, 50_000_000)).toBe('Too large: 12000×12000 is 144 MP, over the 50 MP limit. Downscale it first.');
    expect(await rejectBeforeDecoding(new Blob(['a,b\n'], { type: 'text/csv' }), 50_000_000)).toMatch(/^Not an image \(text\/csv\)\./);
    const photo = new Blob([new Uint8Array(readFileSync(`${FIXTURES}/photos/coffee_small.png`))], { type: 'image/png' });
    expect(await rejectBeforeDecoding(photo, 50_000_000)).toBeUndefined();
  });
});

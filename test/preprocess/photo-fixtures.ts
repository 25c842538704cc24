/**
 * Loads test/fixtures/photos (written by converter/reference/pil_preprocess_fixtures.py): the
 * photos decoded with sharp, PIL's expected crops, and the formula images the script resized.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';

export const PHOTOS_DIR = fileURLToPath(new URL('../fixtures/photos/', import.meta.url));
const EXPECTED_DIR = `${PHOTOS_DIR}expected/`;

export interface PhotoEntry {
  readonly name: string;
  readonly file: string;
  readonly size: [number, number];
  readonly mode: string;
  readonly expected: string;
}

export interface SyntheticEntry {
  readonly name: string;
  readonly size: [number, number];
  readonly resize: number;
  readonly crop: number;
  readonly expected: string;
}

export interface FixtureIndex {
  readonly logits: { readonly file: string; readonly shape: [number, number] };
  readonly photos: readonly PhotoEntry[];
  readonly synthetic: readonly SyntheticEntry[];
}

export const fixtureIndex = JSON.parse(readFileSync(`${EXPECTED_DIR}index.json`, 'utf8')) as FixtureIndex;

/** Decodes with the file's own channel count (grey may come back as 1 or 3, RGBA as 4). */
export async function decodePhoto(file: string, colourspace?: 'b-w'): Promise<tf.Tensor3D> {
  // ignoreIcc: PIL ignores embedded profiles (chelsea_adobergb.jpg has one); sharp would apply it.
  const decoded = sharp(`${PHOTOS_DIR}${file}`, { ignoreIcc: true });
  const pipeline = colourspace ? decoded.toColourspace(colourspace) : decoded;
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return tf.tensor3d(Int32Array.from(data), [info.height, info.width, info.channels], 'int32');
}

/** PIL's uint8 crop for a fixture, as stored losslessly in PNG. */
export async function expectedCrop(name: string): Promise<Uint8Array> {
  const { data, info } = await sharp(`${EXPECTED_DIR}${name}`).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${name}: expected RGB, got ${info.channels} channels`);
  return new Uint8Array(data);
}

/** The script's formula image: v(x, y, c) = (x*(c+2) + 3*y + ((x ^ y) & 63)) & 255. */
export function syntheticImage(width: number, height: number): tf.Tensor3D {
  const values = new Int32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        values[(y * width + x) * 3 + c] = (x * (c + 2) + 3 * y + ((x ^ y) & 63)) & 255;
      }
    }
  }
  return tf.tensor3d(values, [height, width, 3], 'int32');
}

export interface Difference {
  readonly max: number;
  readonly mean: number;
  readonly exactFraction: number;
}

export function difference(actual: ArrayLike<number>, expected: ArrayLike<number>): Difference {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let max = 0;
  let sum = 0;
  let exact = 0;
  for (let i = 0; i < actual.length; i++) {
    const delta = Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN));
    max = Math.max(max, delta);
    sum += delta;
    if (delta === 0) exact++;
  }
  return { max, mean: sum / actual.length, exactFraction: exact / actual.length };
}

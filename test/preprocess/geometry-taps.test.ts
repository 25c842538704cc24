import { describe, expect, it } from 'vitest';

import { pilBilinearTaps, PIL_WEIGHT_BITS, torchvisionResizeGeometry } from '../../src/preprocess/index.js';

const ONE = 2 ** PIL_WEIGHT_BITS;

/** [width, height, resizeTo, cropTo] → [resizedWidth, resizedHeight, cropLeft, cropTop], printed by torchvision 0.14. */
const TORCHVISION_GEOMETRY: [number[], number[]][] = [
  [[512, 512, 342, 299], [342, 342, 22, 22]], // (342-299)/2 = 21.5 rounds to even 22
  [[500, 872, 342, 299], [342, 596, 22, 148]], // 148.5 rounds to even 148
  [[451, 300, 342, 299], [514, 342, 108, 22]],
  [[200, 133, 342, 299], [514, 342, 108, 22]],
  [[640, 80, 342, 299], [2736, 342, 1218, 22]],
  [[4032, 3024, 342, 299], [456, 342, 78, 22]],
  [[300, 301, 342, 299], [342, 343, 22, 22]],
  [[1, 1, 342, 299], [342, 342, 22, 22]],
  [[10000, 37, 342, 299], [92432, 342, 46066, 22]],
  [[344, 342, 342, 299], [344, 342, 22, 22]], // 22.5 rounds to even 22
  [[1920, 1080, 342, 299], [608, 342, 154, 22]],
  [[2600, 1750, 64, 56], [95, 64, 20, 4]],
  [[400, 3000, 100, 90], [100, 750, 5, 330]],
];

describe('torchvisionResizeGeometry', () => {
  it.each(TORCHVISION_GEOMETRY)('%j → %j', ([width = 0, height = 0, resizeTo, cropTo], expected) => {
    const g = torchvisionResizeGeometry(width, height, { resizeTo, cropTo });
    expect([g.resizedWidth, g.resizedHeight, g.cropLeft, g.cropTop]).toEqual(expected);
    expect(g.cropSize).toBe(cropTo);
  });

  it('defaults to Resize(342) + CenterCrop(299)', () => {
    expect(torchvisionResizeGeometry(640, 480)).toEqual({
      resizedWidth: 456,
      resizedHeight: 342,
      cropLeft: 78,
      cropTop: 22,
      cropSize: 299,
    });
  });
});

/** Rows of [first index, weights...] for a whole axis, without padding taps. */
function rows(inSize: number, outSize: number): number[][] {
  const t = pilBilinearTaps(inSize, outSize);
  return Array.from({ length: outSize }, (_, i) => {
    const weights = Array.from(t.weights.subarray(i * t.taps, (i + 1) * t.taps));
    const used = weights.findLastIndex((w) => w !== 0) + 1;
    return [t.index[i * t.taps] ?? -1, ...weights.slice(0, used)];
  });
}

describe('pilBilinearTaps', () => {
  it('halving widens the triangle to 4 taps and renormalises the ones cut by the border', () => {
    // Inside: 1/8, 3/8, 3/8, 1/8. At the borders only 3 taps fit: 3/7, 3/7, 1/7, rounded to 2^-22.
    expect(rows(8, 4)).toEqual([
      [0, 1797559, 1797559, 599186],
      [1, ONE / 8, (3 * ONE) / 8, (3 * ONE) / 8, ONE / 8],
      [3, ONE / 8, (3 * ONE) / 8, (3 * ONE) / 8, ONE / 8],
      [5, 599186, 1797559, 1797559],
    ]);
  });

  it('enlarging keeps support 1, so the outermost outputs copy the border pixel', () => {
    expect(rows(2, 4)).toEqual([
      [0, ONE],
      [0, (3 * ONE) / 4, ONE / 4],
      [0, ONE / 4, (3 * ONE) / 4],
      [1, ONE],
    ]);
  });

  it('an unchanged size is a one-tap copy', () => {
    const t = pilBilinearTaps(342, 342, 22, 299);
    expect(t.taps).toBe(1);
    expect(Array.from(t.index)).toEqual(Array.from({ length: 299 }, (_, i) => 22 + i));
    expect(t.weights.every((w) => w === ONE)).toBe(true);
    expect([t.first, t.span]).toEqual([22, 299]);
  });

  it('a crop window reads only the input it needs, with weights summing to 2^22', () => {
    const t = pilBilinearTaps(4032, 456, 78, 299);
    expect(t.taps).toBe(18); // a triangle 2 × 4032/456 = 17.7 samples wide
    expect(t.first).toBeGreaterThan(600);
    expect(t.first + t.span).toBeLessThan(3500);
    for (let i = 0; i < 299; i++) {
      const sum = t.weights.subarray(i * t.taps, (i + 1) * t.taps).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - ONE)).toBeLessThanOrEqual(t.taps);
      for (let k = 0; k < t.taps; k++) {
        const index = t.index[i * t.taps + k] ?? -1;
        expect(index).toBeGreaterThanOrEqual(t.first);
        expect(index).toBeLessThan(t.first + t.span);
      }
    }
  });
});

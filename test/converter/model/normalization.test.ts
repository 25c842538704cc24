/** The declared input normalisation: presets, the checkpoint's transform_input, explicit mean/std. */
import { describe, expect, it } from 'vitest';
import { inputAffine, NORMALIZATIONS, resolveNormalization } from '../../../converter/model/normalization.js';

describe('resolveNormalization', () => {
  it("defaults to inception; the checkpoint's transform_input=False means imagenet; an explicit preset wins", () => {
    expect(resolveNormalization({}, undefined)).toEqual({ name: 'inception', ...NORMALIZATIONS.inception });
    expect(resolveNormalization({}, { transformInput: false }).name).toBe('imagenet');
    expect(resolveNormalization({}, { transformInput: true }).name).toBe('inception');
    expect(resolveNormalization({ normalization: 'inception' }, { transformInput: false }).name).toBe('inception');
  });

  it('explicit mean and std make a custom normalisation', () => {
    expect(resolveNormalization({ mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.25] }, undefined)).toEqual({ name: 'custom', mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.25] });
  });

  it.each([
    [{ mean: [0.5, 0.5, 0.5] as const }, 'mean and std go together'],
    [{ normalization: 'imagenet' as const, mean: [0, 0, 0] as const, std: [1, 1, 1] as const }, 'not both'],
    [{ mean: [0, 0, 0] as const, std: [1, 0, 1] as const }, 'std must be three positive numbers'],
    [{ normalization: 'caffe' as 'imagenet' }, "got 'caffe'"],
  ])('%j → E_BAD_ARGUMENT', (options, why) => {
    expect(() => resolveNormalization(options, undefined)).toThrow(expect.objectContaining({ code: 'E_BAD_ARGUMENT', message: expect.stringContaining(why) }));
  });
});

describe('inputAffine', () => {
  it('inception is exactly x/127.5 − 1, as the graph always computed it', () => {
    expect(inputAffine(resolveNormalization({}, undefined))).toEqual({ scale: [1 / 127.5, 1 / 127.5, 1 / 127.5], shift: [-1, -1, -1] });
  });

  it('imagenet gives (x/255 − mean)/std per channel (to 1e-12)', () => {
    const { scale, shift } = inputAffine(resolveNormalization({ normalization: 'imagenet' }, undefined));
    const { mean, std } = NORMALIZATIONS.imagenet;
    for (const x of [0, 17, 128, 255]) {
      for (let c = 0; c < 3; c++) expect(Math.abs(x * scale[c]! + shift[c]! - (x / 255 - mean[c]!) / std[c]!)).toBeLessThan(1e-12);
    }
  });
});

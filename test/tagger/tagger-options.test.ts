import { describe, expect, it } from 'vitest';
import { isInceptionError } from '../../shared/errors.js';
import { AUGMENT_DEFAULTS, resolveAugmentOptions, resolveTrainOptions, TRAIN_DEFAULTS } from '../../src/tagger/tagger-options.js';

describe('tagger options', () => {
  it('take their defaults when set to undefined, as if left out', () => {
    expect(resolveTrainOptions({ epochs: undefined, learningRate: undefined })).toEqual(TRAIN_DEFAULTS);
    expect(resolveTrainOptions({ epochs: 7, batchSize: undefined })).toEqual({ ...TRAIN_DEFAULTS, epochs: 7 });
    expect(resolveAugmentOptions({ crops: undefined, flip: false })).toEqual({ ...AUGMENT_DEFAULTS, flip: false });
  });

  it('still reject bad values with E_BAD_OPTION', () => {
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return isInceptionError(error) ? error.code : String(error);
      }
      return 'accepted';
    };
    expect(codeOf(() => resolveTrainOptions({ epochs: 0 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => resolveAugmentOptions({ crops: -1 }))).toBe('E_BAD_OPTION');
  });
});

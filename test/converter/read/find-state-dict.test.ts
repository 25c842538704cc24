/** Where training scripts put the weights, and what they save beside them. */
import { describe, expect, it } from 'vitest';
import { findStateDict } from '../../../converter/read/find-state-dict.js';
import type { TensorSpec } from '../../../converter/read/torch-pickle.js';

const tensor = (key: string): TensorSpec => ({ storage: { key, dtype: 'float32', numel: 1, viewOffset: 0 }, offset: 0, shape: [1], strides: [1] });
const dict = (entries: Record<string, unknown>) => new Map(Object.entries(entries));
const weights = (prefix: string, storage: string) => dict({ [`${prefix}fc.weight`]: tensor(storage), [`${prefix}fc.bias`]: tensor(storage) });

/** Key → the storage each tensor came from, to tell which wrapper was used. */
function found(root: unknown): { keys: Record<string, string>; info: ReturnType<typeof findStateDict>['info'] } {
  const { specs, info } = findStateDict(root, "'test.pth'");
  return { keys: Object.fromEntries([...specs].map(([key, spec]) => [key, spec.storage.key])), info };
}

describe('findStateDict', () => {
  it.each(['state_dict', 'model', 'model_state_dict', 'net'])("weights under '%s', with the script's other entries beside them", (key) => {
    expect(found(dict({ [key]: weights('', 'w'), epoch: 3, best_acc: 0.9 }))).toEqual({ keys: { 'fc.weight': 'w', 'fc.bias': 'w' }, info: { weightsFrom: `'${key}'` } });
  });

  it.each(['state_dict_ema', 'model_ema', 'ema'])("prefers EMA weights under '%s' over the live ones, and says so", (key) => {
    const { keys, info } = found(dict({ state_dict: weights('', 'live'), [key]: weights('', 'ema') }));
    expect(keys['fc.weight']).toBe('ema');
    expect(info.weightsFrom).toBe(`'${key}' (the EMA weights, preferred over 'state_dict')`);
  });

  it.each(['module.', '_orig_mod.', 'module._orig_mod.', '_orig_mod.module.'])("strips the '%s' prefix (DataParallel, torch.compile, both)", (prefix) => {
    expect(Object.keys(found(weights(prefix, 'w')).keys)).toEqual(['fc.weight', 'fc.bias']);
  });

  it("drops AveragedModel's n_averaged counter so its 'module.' weights are found", () => {
    const averaged = dict({ n_averaged: tensor('n'), 'module.fc.weight': tensor('w') });
    expect(found(dict({ model_ema: averaged })).keys).toEqual({ 'fc.weight': 'w' });
  });

  it('keeps a prefix that only some keys have: a submodule may be called module', () => {
    expect(Object.keys(found(dict({ 'module.x': tensor('a'), 'fc.bias': tensor('b') })).keys)).toEqual(['module.x', 'fc.bias']);
  });

  it('reads the labels and transform_input the script saved (top level or in args / config)', () => {
    const classToIdx = dict({ b: 1, a: 0 });
    expect(found(dict({ model: weights('', 'w'), class_to_idx: classToIdx, args: dict({ transform_input: false }) })).info).toEqual({
      weightsFrom: "'model'",
      labels: { key: 'class_to_idx', value: classToIdx },
      transformInput: false,
    });
    expect(found(dict({ ...Object.fromEntries(weights('', 'w')), transform_input: true, classes: ['x'] })).info).toEqual({ labels: { key: 'classes', value: ['x'] }, transformInput: true });
  });

  it('a dict without tensors names its keys and the wrappers it looked under', () => {
    expect(() => findStateDict(dict({ epoch: 1, optimizer: dict({}) }), "'x.pth'")).toThrow(
      expect.objectContaining({ code: 'E_UNSUPPORTED_FORMAT', message: expect.stringMatching(/keys: 'epoch', 'optimizer'.*'state_dict'.*'state_dict_ema'/) }),
    );
  });
});

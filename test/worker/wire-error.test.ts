import { describe, expect, it } from 'vitest';
import { InceptionError, isInceptionError, RuntimeError } from '../../shared/errors.js';
import { fromWireError, toWireError } from '../../src/worker/wire-error.js';

/** What the other thread sees: the wire form after structured clone. */
const roundTrip = (error: unknown) => fromWireError(structuredClone(toWireError(error)));

describe('errors across the worker boundary', () => {
  it('a RuntimeError comes back as a RuntimeError with the same code and message', () => {
    const back = roundTrip(new RuntimeError('E_UNKNOWN_FEATURE', "no feature map named 'x'"));
    expect(back).toBeInstanceOf(RuntimeError);
    expect(back).toBeInstanceOf(InceptionError);
    expect(isInceptionError(back) && back.code).toBe('E_UNKNOWN_FEATURE');
    expect(back.message).toBe("no feature map named 'x'");
    expect(back.name).toBe('RuntimeError');
  });

  it('an error from another copy of the package (same shape, other class) keeps its code', () => {
    const foreign = Object.assign(new Error('model.json not found'), { name: 'RuntimeError', code: 'E_MODEL_NOT_FOUND' });
    const back = roundTrip(foreign);
    expect(back).toBeInstanceOf(RuntimeError);
    expect((back as RuntimeError).code).toBe('E_MODEL_NOT_FOUND');
  });

  it('other errors keep their name and message and get no code', () => {
    const back = roundTrip(new TypeError('x is not a function'));
    expect(back).not.toBeInstanceOf(RuntimeError);
    expect(back.name).toBe('TypeError');
    expect(back.message).toBe('x is not a function');
    expect(isInceptionError(back)).toBe(false);
  });

  it('a thrown non-Error becomes an Error with its string form', () => {
    expect(roundTrip('boom').message).toBe('boom');
  });
});

import { expect } from 'vitest';
import { RuntimeError, type RuntimeErrorCode } from '../../shared/errors.js';

/** Awaits a rejection and checks it is a RuntimeError with `code`; returns it for message checks. */
export async function rejectsWith(promise: Promise<unknown>, code: RuntimeErrorCode): Promise<RuntimeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(RuntimeError);
  expect((error as RuntimeError).code, (error as Error).message).toBe(code);
  return error as RuntimeError;
}

/**
 * Every error this package throws is an `InceptionError` with a stable `code`, so callers can
 * branch on `err.code` instead of parsing messages. Messages say what was expected, what was
 * found, and how to fix it.
 */
export class InceptionError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Cross-realm guard (errors posted from a worker or another bundle copy fail `instanceof`). */
export function isInceptionError(value: unknown): value is InceptionError {
  if (!(value instanceof Error)) return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('E_');
}

/** Stable codes for everything the runtime can reject. */
export type RuntimeErrorCode =
  | 'E_BAD_OPTION'
  | 'E_INVALID_INPUT'
  | 'E_EMPTY_IMAGE'
  | 'E_IMAGE_TOO_LARGE'
  | 'E_DECODE_FAILED'
  | 'E_BACKEND_UNAVAILABLE'
  | 'E_NO_BACKEND'
  | 'E_MODEL_NOT_FOUND'
  | 'E_NETWORK'
  | 'E_INTEGRITY'
  | 'E_WRONG_MODEL'
  | 'E_UNKNOWN_FEATURE'
  | 'E_DEVICE_LOST'
  | 'E_DISPOSED'
  | 'E_WORKER';

/** An error from loading or running the classifier. */
export class RuntimeError extends InceptionError<RuntimeErrorCode> {}

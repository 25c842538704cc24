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
  | 'E_UNSAFE_MODEL_PATH'
  | 'E_TIMEOUT'
  | 'E_ABORTED'
  | 'E_UNKNOWN_FEATURE'
  | 'E_NO_CLASSIFIER'
  | 'E_DEVICE_LOST'
  | 'E_DISPOSED'
  | 'E_WORKER';

/** An error from loading or running the classifier. */
export class RuntimeError extends InceptionError<RuntimeErrorCode> {}

/** Stable codes for what a custom-tag tagger (`createTagger`, `loadTagger`) can reject. */
export type TaggerErrorCode =
  | 'E_TAGGER_MISMATCH'
  | 'E_EMPTY_CLASS'
  | 'E_NEED_TWO_CLASSES'
  | 'E_NO_EXAMPLES'
  | 'E_NOT_TRAINED'
  | 'E_CORRUPT_TAGGER'
  | 'E_TAGGER_NOT_FOUND'
  | 'E_STORAGE';

/** An error from teaching, running, saving or loading custom tags. */
export class TaggerError extends InceptionError {
  declare readonly code: TaggerErrorCode;

  constructor(code: TaggerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

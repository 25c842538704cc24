/**
 * Every error this package throws is an `InceptionError` with a stable `code`, so callers can
 * branch on `err.code` instead of parsing messages. Messages say what was expected, what was
 * found, and how to fix it.
 *
 * Every code lives in one of the lists below, and nowhere else: adding a code is one line there.
 * The README's error table lists them all (test/readme.test.ts checks).
 */

/** What loading or running the classifier can reject. */
const RUNTIME_CODES = [
  'E_BAD_OPTION',
  'E_INVALID_INPUT',
  'E_EMPTY_IMAGE',
  'E_IMAGE_TOO_LARGE',
  'E_DECODE_FAILED',
  'E_BACKEND_UNAVAILABLE',
  'E_NO_BACKEND',
  'E_SELF_CHECK_FAILED',
  'E_MISSING_PACKAGE',
  'E_MODEL_NOT_FOUND',
  'E_NETWORK',
  'E_INTEGRITY',
  'E_WRONG_MODEL',
  'E_UNKNOWN_FEATURE',
  'E_NO_CLASSIFIER',
  'E_DEVICE_LOST',
  'E_DISPOSED',
  'E_WORKER',
  'E_UNSAFE_MODEL_PATH',
  'E_TIMEOUT',
  'E_ABORTED',
] as const;

/** What a custom-tag tagger (`createTagger`, `loadTagger`) can reject. */
const TAGGER_CODES = [
  'E_TAGGER_MISMATCH',
  'E_EMPTY_CLASS',
  'E_NEED_TWO_CLASSES',
  'E_NO_EXAMPLES',
  'E_NOT_TRAINED',
  'E_CORRUPT_TAGGER',
  'E_TAGGER_NOT_FOUND',
  'E_STORAGE',
] as const;

/** What the offline converter (`inception-webgpu/converter`, `inception-webgpu convert`) can reject. */
const CONVERTER_CODES = [
  'E_FILE_NOT_FOUND',
  'E_CORRUPT_FILE',
  'E_UNSUPPORTED_FORMAT',
  'E_UNSAFE_PICKLE',
  'E_NOT_INCEPTION_V3',
  'E_MISSING_KEY',
  'E_UNEXPECTED_KEY',
  'E_SHAPE_MISMATCH',
  'E_NON_FINITE',
  'E_NO_LABELS',
  'E_BAD_LABELS',
  'E_OUTPUT_EXISTS',
  'E_DOWNLOAD_FAILED',
  'E_HASH_MISMATCH',
  'E_BAD_ARGUMENT',
] as const;

/** What the command line rejects before any work starts. */
const CLI_CODES = ['E_USAGE'] as const;

export type RuntimeErrorCode = (typeof RUNTIME_CODES)[number];
export type TaggerErrorCode = (typeof TAGGER_CODES)[number];
export type ConverterErrorCode = (typeof CONVERTER_CODES)[number];
export type CliErrorCode = (typeof CLI_CODES)[number];
/** Every code the package throws: a misspelt code is a compile error, and editors complete them. */
export type InceptionErrorCode = RuntimeErrorCode | TaggerErrorCode | ConverterErrorCode | CliErrorCode;

/** Every code the package throws, for documentation and checks. */
export const ERROR_CODES: readonly InceptionErrorCode[] = [...RUNTIME_CODES, ...TAGGER_CODES, ...CONVERTER_CODES, ...CLI_CODES];
const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export class InceptionError<Code extends InceptionErrorCode = InceptionErrorCode> extends Error {
  readonly code: Code;
  // Spelled out, not `new.target.name`: a minifier renames classes, and `Z: …` helps nobody.
  override name = 'InceptionError';

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Whether `value` is one of the package's errors (with `code`, that code), across realms: errors
 * posted from a worker or thrown by another copy of the bundle fail `instanceof`.
 */
export function isInceptionError<Code extends InceptionErrorCode = InceptionErrorCode>(
  value: unknown,
  code?: Code,
): value is InceptionError<Code> {
  if (!(value instanceof Error)) return false;
  const actual: unknown = (value as { code?: unknown }).code;
  return typeof actual === 'string' && KNOWN_CODES.has(actual) && (code === undefined || actual === code);
}

/** An error from loading or running the classifier. */
export class RuntimeError extends InceptionError<RuntimeErrorCode> {
  override name = 'RuntimeError';
}

/** An error from teaching, running, saving or loading custom tags. */
export class TaggerError extends InceptionError<TaggerErrorCode> {
  override name = 'TaggerError';
}

import { InceptionError } from '../src/errors.js';

/** Stable codes for everything the offline converter can reject. */
export type ConverterErrorCode =
  | 'E_FILE_NOT_FOUND'
  | 'E_CORRUPT_FILE'
  | 'E_UNSUPPORTED_FORMAT'
  | 'E_UNSAFE_PICKLE'
  | 'E_NOT_INCEPTION_V3'
  | 'E_MISSING_KEY'
  | 'E_UNEXPECTED_KEY'
  | 'E_SHAPE_MISMATCH'
  | 'E_NON_FINITE'
  | 'E_NO_LABELS'
  | 'E_BAD_LABELS'
  | 'E_OUTPUT_EXISTS'
  | 'E_DOWNLOAD_FAILED'
  | 'E_HASH_MISMATCH'
  | 'E_BAD_ARGUMENT';

export class ConverterError extends InceptionError<ConverterErrorCode> {}

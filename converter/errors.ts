import { InceptionError, type ConverterErrorCode } from '../shared/errors.js';

export type { ConverterErrorCode };

/** An error from reading, validating, converting or downloading weights. */
export class ConverterError extends InceptionError<ConverterErrorCode> {
  override name = 'ConverterError';
}

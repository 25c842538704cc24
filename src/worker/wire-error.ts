import { isInceptionError, RuntimeError, type RuntimeErrorCode } from '../../shared/errors.js';

/**
 * An error as posted between threads. Structured clone keeps an Error's message but drops own
 * properties such as `code`, so errors travel as plain data and are rebuilt on the other side.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** Set for the package's own errors (E_…). */
  readonly code?: string;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return { name: error.name, message: error.message, ...(isInceptionError(error) && { code: error.code }) };
}

/**
 * Rebuilds the error in this realm: the package's errors come back as RuntimeError with the same
 * code and message (so `instanceof RuntimeError` holds); anything else as an Error of the same name.
 */
export function fromWireError(wire: WireError): Error {
  const error = wire.code === undefined ? new Error(wire.message) : new RuntimeError(wire.code as RuntimeErrorCode, wire.message);
  error.name = wire.name;
  return error;
}

/**
 * Every error this package throws is an `InceptionError` with a stable `code`, so callers can
 * branch on `err.code` instead of parsing messages. Messages say what was expected, what was
 * found, and how to fix it.
 */
export class InceptionError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
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

import { RuntimeError } from '../../shared/errors.js';

/** `instanceof` that is safe where the class does not exist (workers, Node). */
export function isA<T>(value: unknown, name: string): value is T {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' && value instanceof (ctor as new () => unknown);
}

/** The type of a value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

export function checkSize(width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) {
    throw new RuntimeError('E_EMPTY_IMAGE', `image is ${width}×${height}: it has no pixels (is it loaded? a 0×0 canvas?)`);
  }
  if (width * height > maxPixels) {
    throw new RuntimeError(
      'E_IMAGE_TOO_LARGE',
      `image is ${width}×${height} = ${((width * height) / 1e6).toFixed(1)} MP, over the limit of ${(maxPixels / 1e6).toFixed(1)} MP; downscale it first or raise maxPixels`,
    );
  }
}

import { RuntimeError } from '../shared/errors.js';

/** E_ABORTED for `what`, carrying the signal's reason. */
export function abortError(signal: AbortSignal, what: string): RuntimeError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
  return new RuntimeError('E_ABORTED', `${what} was aborted${why ? ` (${why})` : ''}`, { cause: reason });
}

/** Throws E_ABORTED if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortError(signal, what);
}

/** `work`, or E_ABORTED as soon as `signal` fires, whichever comes first (the work itself runs on). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return work;
  throwIfAborted(signal, what);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

import { RuntimeError } from '../../shared/errors.js';

/** One download's view of the load's signal, plus a stall timer that its progress keeps resetting. */
export interface StallWatch {
  /** Aborts when the load does, or with E_TIMEOUT when the timer runs out. */
  readonly signal: AbortSignal;
  /** Bytes (or headers) arrived: restart the timer. */
  touch(): void;
  /** The download is over: stop the timer and stop following the load's signal. */
  done(): void;
}

/**
 * Starts a stall timer for downloading `what` from `url`: if `touch()` is not called for
 * `timeoutMs`, the watch's signal aborts with E_TIMEOUT naming the URL, which fails the fetch or
 * the body read in progress (a server that stalls before its headers, or mid-body).
 */
export function watchStalls(url: string, what: string, timeoutMs: number, load: AbortSignal): StallWatch {
  const controller = new AbortController();
  const follow = () => controller.abort(load.reason);
  load.addEventListener('abort', follow, { once: true });
  if (load.aborted) follow();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = () =>
    controller.abort(
      new RuntimeError(
        'E_TIMEOUT',
        `no data arrived from ${url} (${what}) for ${timeoutMs / 1000} s: the server stalled. ` +
          'Check the server and the connection, then load again; stallTimeoutMs sets how long to wait',
      ),
    );
  const touch = () => {
    clearTimeout(timer);
    // setTimeout cannot wait longer than 2^31-1 ms; Infinity means never.
    if (timeoutMs < 2 ** 31) timer = setTimeout(stalled, timeoutMs);
  };
  touch();
  return {
    signal: controller.signal,
    touch,
    done: () => {
      clearTimeout(timer);
      load.removeEventListener('abort', follow);
    },
  };
}

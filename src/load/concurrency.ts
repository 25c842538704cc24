/**
 * Runs `task` over `items`, at most `limit` at a time, results in input order. The first failure
 * aborts `controller` (so in-flight siblings stop early) and is thrown only once every task has
 * settled: when the caller sees the error, nothing is still writing to the cache behind it.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  controller: AbortController,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

/** Runs `body` with a controller that also aborts when `outer` does (AbortSignal.any is too new for Safari < 17.4). */
export async function withAbortScope<T>(outer: AbortSignal | undefined, body: (controller: AbortController) => Promise<T>): Promise<T> {
  outer?.throwIfAborted();
  const controller = new AbortController();
  const follow = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', follow, { once: true });
  try {
    return await body(controller);
  } finally {
    outer?.removeEventListener('abort', follow);
  }
}

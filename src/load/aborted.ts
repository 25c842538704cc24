import { isInceptionError } from '../../shared/errors.js';
import { abortError } from '../abort.js';

/**
 * The app's abort, whatever reason it gave, as E_ABORTED naming the model; a reason that is
 * already an InceptionError (E_TIMEOUT from a stall, say) is kept.
 */
export async function abortedAs<T>(url: string, signal: AbortSignal | undefined, body: () => Promise<T>): Promise<T> {
  try {
    if (signal?.aborted) throw signal.reason;
    return await body();
  } catch (error) {
    if (!signal?.aborted || error !== signal.reason || isInceptionError(error)) throw error;
    throw abortError(signal, `loading the model from ${url}`);
  }
}

import { isInceptionError, RuntimeError } from '../../shared/errors.js';

/** Undici says only "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** Fetches `url` and returns an OK response; every failure becomes a RuntimeError naming the URL and the likely fix. */
export async function fetchOk(url: string, what: string, fetchFn: typeof fetch, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (error) {
    signal.throwIfAborted();
    if (isInceptionError(error)) throw error;
    throw new RuntimeError(
      'E_NETWORK',
      `could not fetch ${what} from ${url} (${describeFailure(error)}). Check that you are online and the host is up; ` +
        'for a model on another origin, its server must send Access-Control-Allow-Origin (browsers report a CORS refusal as this same network error)',
      { cause: error },
    );
  }
  if (response.ok) return response;
  // An unread body pins the connection; nobody will read this one.
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 404) {
    throw new RuntimeError(
      'E_MODEL_NOT_FOUND',
      `${what} not found at ${url} (HTTP 404): check modelUrl, and that every file of the converted model ` +
        'directory is served next to model.json; to make one, run `npx inception-webgpu convert --from torchvision --out <dir>`',
    );
  }
  throw new RuntimeError('E_NETWORK', `fetching ${what} from ${url} failed with HTTP ${response.status} ${response.statusText}`.trimEnd());
}

export interface BodyHooks {
  readonly signal: AbortSignal;
  readonly onBytes: (count: number) => void;
  /** Builds the error for a body of the wrong length; `found` says what arrived. */
  readonly fail: (found: string, cause?: unknown) => Error;
}

/**
 * Streams a body that must be exactly `expectedBytes` long into one preallocated buffer (no chunk
 * list, no concatenating copy), reporting each chunk as it arrives.
 */
export async function readExactBody(response: Response, expectedBytes: number, hooks: BodyHooks): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(expectedBytes);
  let received = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await readChunk(reader, hooks, received);
    if (chunk === undefined) break;
    if (received + chunk.length > expectedBytes) {
      await reader?.cancel().catch(() => undefined);
      throw hooks.fail(`more than ${expectedBytes} bytes`);
    }
    out.set(chunk, received);
    received += chunk.length;
    hooks.onBytes(chunk.length);
  }
  if (received < expectedBytes) throw hooks.fail(`only ${received} bytes`);
  return out;
}

/**
 * Streams a text body of at most `maxBytes` (model.json), reporting each chunk as it arrives so
 * a stall timer can follow it; a longer body is cut off with `fail`.
 */
export async function readLimitedText(response: Response, maxBytes: number, hooks: BodyHooks): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await readChunk(reader, hooks, received);
    if (chunk === undefined) break;
    received += chunk.length;
    if (received > maxBytes) {
      await reader?.cancel().catch(() => undefined);
      throw hooks.fail(`more than ${maxBytes} bytes`);
    }
    text += decoder.decode(chunk, { stream: true });
    hooks.onBytes(chunk.length);
  }
  return text + decoder.decode();
}

/** The next chunk, or undefined at the end; a connection dropped mid-body is a truncated body. */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array> | undefined, hooks: BodyHooks, received: number) {
  if (!reader) return undefined;
  try {
    const { done, value } = await reader.read();
    return done ? undefined : value;
  } catch (error) {
    hooks.signal.throwIfAborted();
    throw hooks.fail(`only ${received} bytes before the connection dropped (${describeFailure(error)})`, error);
  }
}

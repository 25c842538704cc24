import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ConverterError } from '../errors.js';

export interface DownloadOptions {
  readonly url: string;
  readonly cacheDir: string;
  /** Plain file name inside `cacheDir` (no directories). */
  readonly fileName: string;
  /** Full SHA-256 (64 hex chars) the file must have. */
  readonly expectedSha256?: string;
  /** Leading hex chars (at least 8) of the SHA-256, as in torch.hub's `name-<hash>.pth` names. */
  readonly expectedSha256Prefix?: string;
  /**
   * Take the SHA-256 from the `X-Linked-Etag` (or `ETag`) header of any response on the redirect
   * chain, as Hugging Face sends for LFS files.
   */
  readonly hashFromHeaders?: boolean;
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Aborting rejects with `signal.reason`, like `fetch`, and leaves nothing in the cache. */
  readonly signal?: AbortSignal;
}

export interface DownloadResult {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly fromCache: boolean;
}

interface Expectation {
  readonly sha256: string | undefined;
  readonly prefix: string | undefined;
  readonly fromHeaders: boolean;
}

interface Hashed {
  readonly sha256: string;
  readonly bytes: number;
}

const MAX_REDIRECTS = 10;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const SHA256_PREFIX_HEX = /^[0-9a-f]{8,64}$/;
// Header-verified files cannot be re-checked offline, so the verified hash is kept beside them.
const SIDECAR_SUFFIX = '.sha256';
const FIX_HINT =
  'Check the URL and your network connection, or download the file yourself and pass its local path instead.';

/** `$INCEPTION_WEBGPU_CACHE`, else `$XDG_CACHE_HOME/inception-webgpu`, else `~/.cache/inception-webgpu`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const explicit = env['INCEPTION_WEBGPU_CACHE'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(base, 'inception-webgpu');
}

/**
 * Downloads `url` into `cacheDir/fileName` unless a cached copy still verifies. The body is streamed
 * to a private partial file while hashed, checked, then renamed into place, so the cache only ever
 * holds complete, verified files.
 */
export async function downloadToCache(options: DownloadOptions): Promise<DownloadResult> {
  const expectation = parseExpectation(options);
  const url = parseHttpUrl(options.url);
  const path = join(options.cacheDir, checkFileName(options.fileName));
  const cached = await verifiedCacheEntry(path, expectation);
  if (cached) return { path, ...cached, fromCache: true };
  await mkdir(options.cacheDir, { recursive: true });
  const partial = `${path}.partial-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const fetched = await fetchToFile(url, options, expectation, partial);
    if (expectation.fromHeaders) await writeSidecar(path, partial, fetched.sha256);
    await rename(partial, path);
    return { path, ...fetched, fromCache: false };
  } catch (error) {
    await rm(partial, { force: true });
    await rm(partial + SIDECAR_SUFFIX, { force: true });
    throw error;
  }
}

function parseExpectation(options: DownloadOptions): Expectation {
  const sha256 = options.expectedSha256?.toLowerCase();
  const prefix = options.expectedSha256Prefix?.toLowerCase();
  if (sha256 !== undefined && !SHA256_HEX.test(sha256)) {
    throw badArgument(`expectedSha256 must be 64 hex characters, got "${options.expectedSha256}".`);
  }
  if (prefix !== undefined && !SHA256_PREFIX_HEX.test(prefix)) {
    throw badArgument(`expectedSha256Prefix must be 8 to 64 hex characters, got "${options.expectedSha256Prefix}".`);
  }
  const fromHeaders = options.hashFromHeaders === true;
  if (sha256 === undefined && prefix === undefined && !fromHeaders) {
    throw badArgument('Refusing an unverified download: pass expectedSha256, expectedSha256Prefix or hashFromHeaders.');
  }
  return { sha256, prefix, fromHeaders };
}

function checkFileName(fileName: string): string {
  if (fileName === '' || fileName === '.' || fileName === '..' || /[\\/]/.test(fileName)) {
    throw badArgument(`fileName must be a plain file name without directories, got "${fileName}".`);
  }
  return fileName;
}

async function verifiedCacheEntry(path: string, expectation: Expectation): Promise<Hashed | undefined> {
  const found = await hashFile(path);
  if (found === undefined) return undefined;
  const recorded = expectation.fromHeaders ? await readSidecar(path) : undefined;
  if (failedExpectation(found.sha256, expectation, recorded) === undefined) return found;
  // Drop the bad entry now so that a failed re-download leaves nothing behind.
  await rm(path, { force: true });
  await rm(path + SIDECAR_SUFFIX, { force: true });
  return undefined;
}

/** The expected hash `found` fails, described for an error message; undefined when all hold. */
function failedExpectation(found: string, expectation: Expectation, headerSha256: string | undefined): string | undefined {
  if (expectation.sha256 !== undefined && found !== expectation.sha256) return expectation.sha256;
  if (expectation.prefix !== undefined && !found.startsWith(expectation.prefix)) {
    return `${expectation.prefix}… (a prefix)`;
  }
  if (expectation.fromHeaders && found !== headerSha256) return `${headerSha256} (from the server's headers)`;
  return undefined;
}

async function hashFile(path: string): Promise<Hashed | undefined> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function readSidecar(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path + SIDECAR_SUFFIX, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Written before the data file is renamed in, so a cached file never lacks its recorded hash. */
async function writeSidecar(path: string, partial: string, sha256: string): Promise<void> {
  await writeFile(partial + SIDECAR_SUFFIX, `${sha256}\n`, { flag: 'wx' });
  await rename(partial + SIDECAR_SUFFIX, path + SIDECAR_SUFFIX);
}

async function fetchToFile(url: URL, options: DownloadOptions, expectation: Expectation, partial: string): Promise<Hashed> {
  const { response, headerSha256 } = await openFollowingRedirects(url, options);
  if (!response.ok) {
    await response.body?.cancel();
    throw downloadFailed(options.url, `the server answered HTTP ${response.status} ${response.statusText}`.trim());
  }
  if (expectation.fromHeaders && headerSha256 === undefined) {
    await response.body?.cancel();
    throw downloadFailed(options.url, 'the server sent no SHA-256 in an X-Linked-Etag or ETag header, so the file cannot be verified');
  }
  const fetched = await streamToFile(response, partial, options);
  const expected = failedExpectation(fetched.sha256, expectation, headerSha256);
  if (expected !== undefined) {
    throw new ConverterError(
      'E_HASH_MISMATCH',
      `The file downloaded from ${options.url} has SHA-256 ${fetched.sha256}, expected ${expected}. ` +
        'It is corrupted or was replaced; nothing was cached. Retry, or pass a local file you trust instead.',
    );
  }
  return fetched;
}

/** Redirects are followed by hand because Hugging Face puts the hash on the redirect, not the CDN reply. */
async function openFollowingRedirects(
  start: URL,
  options: DownloadOptions,
): Promise<{ response: Response; headerSha256: string | undefined }> {
  let url = start;
  let headerSha256: string | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await request(url, options);
    headerSha256 ??= sha256FromHeaders(response.headers);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || location === null) return { response, headerSha256 };
    await response.body?.cancel();
    url = nextHop(url, location, options.url);
  }
  throw downloadFailed(options.url, `it redirected more than ${MAX_REDIRECTS} times`);
}

async function request(url: URL, options: DownloadOptions): Promise<Response> {
  try {
    // identity: a compressed body would make Content-Length useless for spotting truncation.
    return await fetch(url, { redirect: 'manual', signal: options.signal, headers: { 'accept-encoding': 'identity' } });
  } catch (error) {
    throw asDownloadError(error, options, 'the request failed');
  }
}

function parseHttpUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:') {
    throw badArgument(`Download URL must be http(s), got "${url}".`);
  }
  return parsed;
}

function nextHop(from: URL, location: string, original: string): URL {
  const next = URL.canParse(location, from) ? new URL(location, from) : undefined;
  const allowed = next?.protocol === 'https:' || (next?.protocol === 'http:' && from.protocol === 'http:');
  if (next === undefined || !allowed) {
    // An https download must not be downgraded to plain http by a redirect.
    throw downloadFailed(original, `it redirected to "${location}", which is not an allowed URL (http(s), never https to http)`);
  }
  return next;
}

/** Accepts `"<hex>"`, `<hex>` and weak `W/"<hex>"` forms; anything but 64 hex chars is not a SHA-256. */
function sha256FromHeaders(headers: Headers): string | undefined {
  for (const name of ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.trim().replace(/^W\//i, '').replace(/^"(.*)"$/, '$1').toLowerCase();
    if (value !== undefined && SHA256_HEX.test(value)) return value;
  }
  return undefined;
}

async function streamToFile(response: Response, partial: string, options: DownloadOptions): Promise<Hashed> {
  const total = contentLength(response.headers);
  const hash = createHash('sha256');
  let received = 0;
  const file = await open(partial, 'wx');
  try {
    const reader = response.body?.getReader();
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
      hash.update(chunk.value);
      await file.write(chunk.value);
      received += chunk.value.byteLength;
      options.onProgress?.(received, total);
    }
  } catch (error) {
    throw asDownloadError(error, options, `the transfer broke off after ${received} of ${total ?? 'unknown'} bytes`);
  } finally {
    await file.close();
  }
  if (total !== undefined && received !== total) {
    throw downloadFailed(options.url, `received ${received} bytes but the server announced ${total}`);
  }
  return { sha256: hash.digest('hex'), bytes: received };
}

function contentLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding !== 'identity') return undefined;
  const length = Number(headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

function asDownloadError(error: unknown, options: DownloadOptions, what: string): unknown {
  if (options.signal?.aborted) return options.signal.reason;
  if (error instanceof ConverterError) return error;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause?.message ?? cause?.code ?? (error as Error).message;
  return downloadFailed(options.url, `${what} (${String(detail)})`, error);
}

function downloadFailed(url: string, reason: string, cause?: unknown): ConverterError {
  return new ConverterError('E_DOWNLOAD_FAILED', `Could not download ${url}: ${reason}. ${FIX_HINT}`, { cause });
}

function badArgument(message: string): ConverterError {
  return new ConverterError('E_BAD_ARGUMENT', message);
}

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCacheDir, downloadToCache } from '../../../converter/fetch/download.js';
import { ConverterError, type ConverterErrorCode } from '../../../converter/errors.js';
import {
  OFFICIAL_SOURCES,
  getOfficialSource,
  officialDownloadOptions,
  torchHubHashPrefix,
} from '../../../converter/fetch/official-sources.js';
import { createProgressBar } from '../../../cli/progress-bar.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Deterministic pseudo-random bytes (an LCG), so hashes are stable across runs. */
function testBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const FILE = testBytes(300_000);
const FILE_SHA = sha256(FILE);
const OTHER_SHA = sha256(testBytes(1000, 7));

let server: Server;
let baseUrl: string;
let requests: string[];
let routes: Map<string, Handler>;
let workDir: string;
let cacheDir: string;

beforeEach(async () => {
  requests = [];
  routes = new Map();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const handler = routes.get(req.url ?? '');
    if (handler) return handler(req, res);
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workDir = await mkdtemp(join(tmpdir(), 'inception-download-'));
  cacheDir = join(workDir, 'cache');
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

function serveFile(path: string, data: Buffer, headers: Record<string, string> = {}): void {
  routes.set(path, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length, ...headers });
    res.end(data);
  });
}

function redirect(path: string, location: string, headers: Record<string, string> = {}): void {
  routes.set(path, (_req, res) => res.writeHead(302, { location, ...headers }).end());
}

async function cacheListing(): Promise<string[]> {
  return (await readdir(cacheDir)).sort();
}

async function rejection(promise: Promise<unknown>, code: ConverterErrorCode): Promise<ConverterError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConverterError);
  expect((error as ConverterError).code).toBe(code);
  return error as ConverterError;
}

describe('downloadToCache', () => {
  it('downloads, verifies a full hash and reports monotonic progress', async () => {
    serveFile('/model.bin', FILE);
    const progress: Array<[number, number | undefined]> = [];
    const result = await downloadToCache({
      url: `${baseUrl}/model.bin`,
      cacheDir,
      fileName: 'model.bin',
      expectedSha256: FILE_SHA.toUpperCase(),
      onProgress: (received, total) => progress.push([received, total]),
    });
    expect(result).toEqual({ path: join(cacheDir, 'model.bin'), sha256: FILE_SHA, bytes: FILE.length, fromCache: false });
    expect(Buffer.compare(await readFile(result.path), FILE)).toBe(0);
    expect(await cacheListing()).toEqual(['model.bin']);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every(([, total]) => total === FILE.length)).toBe(true);
    const received = progress.map(([r]) => r);
    expect(received.every((r, i) => i === 0 || r > (received[i - 1] ?? 0))).toBe(true);
    expect(received.at(-1)).toBe(FILE.length);
  });

  it('reuses a verified cache entry without any request', async () => {
    serveFile('/model.bin', FILE);
    const options = { url: `${baseUrl}/model.bin`, cacheDir, fileName: 'model.bin', expectedSha256: FILE_SHA };
    await downloadToCache(options);
    expect(requests).toHaveLength(1);
    const again = await downloadToCache(options);
    expect(again).toMatchObject({ fromCache: true, sha256: FILE_SHA, bytes: FILE.length });
    expect(requests).toHaveLength(1);
  });

  it('re-downloads a corrupted cache entry', async () => {
    serveFile('/model.bin', FILE);
    const options = { url: `${baseUrl}/model.bin`, cacheDir, fileName: 'model.bin', expectedSha256: FILE_SHA };
    const first = await downloadToCache(options);
    await writeFile(first.path, FILE.subarray(0, 1000));
    const second = await downloadToCache(options);
    expect(second.fromCache).toBe(false);
    expect(requests).toHaveLength(2);
    expect(Buffer.compare(await readFile(second.path), FILE)).toBe(0);
  });

  it('checks a torch.hub style hash prefix from the file name', async () => {
    const fileName = `weights-${FILE_SHA.slice(0, 8)}.pth`;
    serveFile(`/${fileName}`, FILE);
    const prefix = torchHubHashPrefix(fileName);
    expect(prefix).toBe(FILE_SHA.slice(0, 8));
    const result = await downloadToCache({ url: `${baseUrl}/${fileName}`, cacheDir, fileName, expectedSha256Prefix: prefix });
    expect(result.sha256).toBe(FILE_SHA);

    const wrongName = `weights-${OTHER_SHA.slice(0, 8)}.pth`;
    serveFile(`/${wrongName}`, FILE);
    const options = { url: `${baseUrl}/${wrongName}`, cacheDir, fileName: wrongName };
    await rejection(downloadToCache({ ...options, expectedSha256Prefix: torchHubHashPrefix(wrongName) }), 'E_HASH_MISMATCH');
    expect(await cacheListing()).toEqual([fileName]);
  });

  it('rejects a full-hash mismatch and leaves nothing in the cache', async () => {
    serveFile('/model.bin', FILE);
    const error = await rejection(
      downloadToCache({ url: `${baseUrl}/model.bin`, cacheDir, fileName: 'model.bin', expectedSha256: OTHER_SHA }),
      'E_HASH_MISMATCH',
    );
    expect(error.message).toContain(OTHER_SHA);
    expect(error.message).toContain(FILE_SHA);
    expect(await cacheListing()).toEqual([]);
  });

  it('turns a 404 into E_DOWNLOAD_FAILED naming the URL and status', async () => {
    const url = `${baseUrl}/missing.bin`;
    const error = await rejection(downloadToCache({ url, cacheDir, fileName: 'missing.bin', expectedSha256: FILE_SHA }), 'E_DOWNLOAD_FAILED');
    expect(error.message).toContain(url);
    expect(error.message).toContain('404');
    expect(error.message).toContain('local path');
    expect(await cacheListing()).toEqual([]);
  });

  it('turns a 500 into E_DOWNLOAD_FAILED', async () => {
    routes.set('/broken.bin', (_req, res) => res.writeHead(500).end('oops'));
    const error = await rejection(
      downloadToCache({ url: `${baseUrl}/broken.bin`, cacheDir, fileName: 'broken.bin', expectedSha256: FILE_SHA }),
      'E_DOWNLOAD_FAILED',
    );
    expect(error.message).toContain('500');
    expect(await cacheListing()).toEqual([]);
  });

  it('fails on a connection reset mid-body and removes the partial file', async () => {
    routes.set('/cut.bin', (_req, res) => {
      res.writeHead(200, { 'content-length': 1_000_000 });
      res.write(testBytes(100_000), () => res.socket?.destroy());
    });
    const error = await rejection(
      downloadToCache({ url: `${baseUrl}/cut.bin`, cacheDir, fileName: 'cut.bin', expectedSha256: FILE_SHA }),
      'E_DOWNLOAD_FAILED',
    );
    expect(error.message).toContain('1000000');
    expect(await cacheListing()).toEqual([]);
  });

  it('follows a redirect and takes the hash from X-Linked-Etag on it', async () => {
    redirect('/resolve/main/model.safetensors', '/cdn/blob', { 'x-linked-etag': `"${FILE_SHA}"` });
    // A CDN ETag that is not a SHA-256 (an MD5 here) must be ignored.
    serveFile('/cdn/blob', FILE, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' });
    const options = { url: `${baseUrl}/resolve/main/model.safetensors`, cacheDir, fileName: 'm.safetensors', hashFromHeaders: true };
    const result = await downloadToCache(options);
    expect(result).toMatchObject({ sha256: FILE_SHA, fromCache: false });
    expect(requests).toEqual(['/resolve/main/model.safetensors', '/cdn/blob']);

    // The header-verified hash is recorded, so the cache is reused offline and still checked.
    expect((await downloadToCache(options)).fromCache).toBe(true);
    expect(requests).toHaveLength(2);
    await writeFile(result.path, 'corrupt');
    expect((await downloadToCache(options)).fromCache).toBe(false);
    expect(requests).toHaveLength(4);
  });

  it('accepts a weak ETag holding the SHA-256', async () => {
    serveFile('/model.bin', FILE, { etag: `W/"${FILE_SHA}"` });
    const result = await downloadToCache({ url: `${baseUrl}/model.bin`, cacheDir, fileName: 'model.bin', hashFromHeaders: true });
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('rejects a file whose hash differs from the header hash', async () => {
    redirect('/resolve', '/cdn/blob', { 'x-linked-etag': `"${OTHER_SHA}"` });
    serveFile('/cdn/blob', FILE);
    const error = await rejection(
      downloadToCache({ url: `${baseUrl}/resolve`, cacheDir, fileName: 'm.safetensors', hashFromHeaders: true }),
      'E_HASH_MISMATCH',
    );
    expect(error.message).toContain(OTHER_SHA);
    expect(await cacheListing()).toEqual([]);
  });

  it('refuses header verification when no header carries a SHA-256', async () => {
    serveFile('/model.bin', FILE, { etag: '"abc123"' });
    await rejection(
      downloadToCache({ url: `${baseUrl}/model.bin`, cacheDir, fileName: 'model.bin', hashFromHeaders: true }),
      'E_DOWNLOAD_FAILED',
    );
    expect(await cacheListing()).toEqual([]);
  });

  it('gives up on a redirect loop', async () => {
    redirect('/loop', '/loop');
    await rejection(downloadToCache({ url: `${baseUrl}/loop`, cacheDir, fileName: 'x', expectedSha256: FILE_SHA }), 'E_DOWNLOAD_FAILED');
  });

  it('rejects with the abort reason and leaves nothing behind', async () => {
    // Sends part of the body, then stalls: only the abort can end the download.
    routes.set('/slow.bin', (_req, res) => {
      res.writeHead(200, { 'content-length': FILE.length });
      res.write(FILE.subarray(0, 50_000));
    });
    const controller = new AbortController();
    const promise = downloadToCache({
      url: `${baseUrl}/slow.bin`,
      cacheDir,
      fileName: 'slow.bin',
      expectedSha256: FILE_SHA,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(await cacheListing()).toEqual([]);
  });

  it('rejects bad arguments before any request', async () => {
    const base = { url: `${baseUrl}/model.bin`, cacheDir };
    await rejection(downloadToCache({ ...base, fileName: '../escape.bin', expectedSha256: FILE_SHA }), 'E_BAD_ARGUMENT');
    await rejection(downloadToCache({ ...base, fileName: 'model.bin' }), 'E_BAD_ARGUMENT');
    await rejection(downloadToCache({ ...base, fileName: 'model.bin', expectedSha256Prefix: 'abc' }), 'E_BAD_ARGUMENT');
    await rejection(downloadToCache({ ...base, url: 'file:///etc/passwd', fileName: 'x', expectedSha256: FILE_SHA }), 'E_BAD_ARGUMENT');
    expect(requests).toEqual([]);
  });
});

describe('defaultCacheDir', () => {
  it('prefers INCEPTION_WEBGPU_CACHE, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ INCEPTION_WEBGPU_CACHE: '/c', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe(join('/x', 'inception-webgpu'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe(join('/home/u', '.cache', 'inception-webgpu'));
    expect(defaultCacheDir({}, '/home/u')).toBe(join('/home/u', '.cache', 'inception-webgpu'));
  });
});

describe('official sources', () => {
  it('keeps the torchvision prefix consistent with its torch.hub file name', () => {
    const source = OFFICIAL_SOURCES.torchvision;
    expect(source.url.endsWith(`/${source.fileName}`)).toBe(true);
    expect(source.hash).toEqual({ kind: 'sha256-prefix', prefix: torchHubHashPrefix(source.fileName) });
    expect(officialDownloadOptions(source, '/c')).toMatchObject({ expectedSha256Prefix: '0cc3c7bd', cacheDir: '/c' });
  });

  it('verifies timm weights from the Hub headers and rejects unknown ids', async () => {
    expect(officialDownloadOptions(getOfficialSource('timm'), '/c')).toMatchObject({ hashFromHeaders: true });
    await rejection(Promise.resolve().then(() => getOfficialSource('keras')), 'E_BAD_ARGUMENT');
  });
});

describe('createProgressBar', () => {
  function fakeStream(isTTY: boolean): { isTTY: boolean; writes: string[]; write(text: string): boolean } {
    const writes: string[] = [];
    return { isTTY, writes, write: (text) => writes.push(text) > 0 };
  }

  it('prints only quarter lines and a summary off a TTY', () => {
    const stream = fakeStream(false);
    const bar = createProgressBar({ label: 'download', total: 1_000_000, stream });
    for (let done = 1000; done <= 1_000_000; done += 1000) bar.update(done);
    bar.finish();
    bar.finish();
    expect(stream.writes).toHaveLength(4);
    expect(stream.writes.slice(0, 3)).toEqual([
      'download: 25% (0.3/1.0 MB)\n',
      'download: 50% (0.5/1.0 MB)\n',
      'download: 75% (0.8/1.0 MB)\n',
    ]);
    expect(stream.writes[3]).toMatch(/^download: done, 1\.0 MB in \d+\.\d s \(\d+\.\d MB\/s\)\n$/);
  });

  it('prints just the summary off a TTY when the total is unknown', () => {
    const stream = fakeStream(false);
    const bar = createProgressBar({ label: 'convert', stream });
    bar.update(5_000_000);
    bar.finish();
    expect(stream.writes).toHaveLength(1);
    expect(stream.writes[0]).toMatch(/^convert: done, 5\.0 MB/);
  });

  it('counts images instead of bytes with unit: images', () => {
    const stream = fakeStream(false);
    const bar = createProgressBar({ label: 'classify', total: 8, unit: 'images', stream });
    for (let done = 1; done <= 8; done++) bar.update(done);
    bar.finish();
    expect(stream.writes.slice(0, 3)).toEqual(['classify: 25% (2/8 images)\n', 'classify: 50% (4/8 images)\n', 'classify: 75% (6/8 images)\n']);
    expect(stream.writes[3]).toMatch(/^classify: done, 8 images in \d+\.\d s \(\d+\.\d images\/s\)\n$/);
  });

  it('redraws one throttled line on a TTY', () => {
    const stream = fakeStream(true);
    const bar = createProgressBar({ label: 'download', total: 2_000_000, stream });
    for (let done = 1000; done <= 900_000; done += 1000) bar.update(done);
    bar.finish();
    expect(stream.writes.length).toBeLessThanOrEqual(3);
    expect(stream.writes.every((line) => line.startsWith('\r'))).toBe(true);
    expect(stream.writes.at(-1)).toMatch(/^\rdownload \[#########-----------\] 45% 0\.9\/2\.0 MB \d+\.\d MB\/s\x1b\[K\n$/);
  });
});

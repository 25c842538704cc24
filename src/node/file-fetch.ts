import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A `fetch` for file: URLs, so the browser loader (parsing, integrity checks, typed errors)
 * serves Node unchanged. Other URLs go to the real fetch.
 */
export async function fileFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.protocol !== 'file:') return fetch(input, init);
  try {
    const data = await readFile(fileURLToPath(url));
    return new Response(data, { status: 200, headers: { 'content-length': String(data.length) } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Response(null, { status: 404, statusText: 'Not Found' });
    throw error;
  }
}

/** A model directory, a model.json path or an http(s) URL → the URL the loader fetches. */
export async function modelLocationToUrl(location: string): Promise<string> {
  if (/^https?:\/\//i.test(location) || location.startsWith('file:')) return location;
  const isDirectory = await stat(location).then((s) => s.isDirectory(), () => false);
  const url = pathToFileURL(location).href;
  return isDirectory ? `${url.replace(/\/?$/, '/')}model.json` : url;
}

import { RuntimeError } from '../../shared/errors.js';

/**
 * The absolute URL of model.json: `modelUrl` resolved against the page (relative URLs work in
 * browsers and workers), with `model.json` appended to a directory URL ending in '/'.
 */
export function resolveModelUrl(modelUrl: string): string {
  if (typeof modelUrl !== 'string' || modelUrl.length === 0) {
    throw new RuntimeError('E_BAD_OPTION', `modelUrl must be the URL of a converted model.json, got ${JSON.stringify(modelUrl)}`);
  }
  let url: URL;
  try {
    url = new URL(modelUrl, globalThis.location?.href);
  } catch (error) {
    throw new RuntimeError(
      'E_BAD_OPTION',
      `modelUrl ${JSON.stringify(modelUrl)} is not a valid URL; without a page to resolve against (Node), give an absolute http(s) URL`,
      { cause: error },
    );
  }
  if (url.pathname.endsWith('/')) url.pathname += 'model.json';
  return url.href;
}


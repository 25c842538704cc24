/**
 * A worker resolves relative URLs against its own script's URL (e.g. /assets/), not the page's,
 * so the main thread makes them absolute before posting. Unparseable strings pass unchanged and
 * fail in the worker exactly as they would on the main thread.
 */
export function absoluteUrl(url: string): string {
  const base = (globalThis as { document?: Document }).document?.baseURI ?? globalThis.location?.href;
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

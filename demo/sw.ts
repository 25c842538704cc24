/**
 * The demo's service worker: keeps the app shell (HTML, JS, CSS, the WASM binaries) so the page
 * opens offline after one visit. Not the model: the SDK already keeps its weights, verified, in
 * its own Cache API store, and a second copy here would double 100 MB of storage.
 *
 * Network first: online, every visit gets the current build; offline, the last copy answers.
 * Built by vite.config.ts as /sw.js (no imports, so it runs as a classic worker everywhere).
 */

// The DOM lib has no service-worker types and the WebWorker lib clashes with it: declare what is used.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as ServiceWorkerScope;
const SHELL_CACHE = 'inception-webgpu-demo-shell';

/** Every file of the build, listed by vite.config.ts in precache.json, plus the page itself. */
async function precache(): Promise<void> {
  const response = await fetch('precache.json', { cache: 'no-store' });
  const files = (await response.json()) as string[];
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll(['./', ...files]);
}

/** Converted models are the SDK's to cache (see above). */
function isModelFile(url: URL): boolean {
  return url.pathname.endsWith('.bin') || url.pathname.endsWith('/model.json');
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // A navigation may carry ?backend= or ?model=: the page is the same whatever the query.
    const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
    if (cached) return cached;
    throw error;
  }
}

scope.addEventListener('install', (event) => event.waitUntil(precache().then(() => scope.skipWaiting())));
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));
scope.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || isModelFile(url)) return;
  event.respondWith(networkFirst(event.request));
});

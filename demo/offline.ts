import { errorMessage } from './dom.js';

/**
 * Registers the service worker that keeps the app shell for offline use (the SDK caches the
 * model itself). Production builds only: under `vite` dev it would cache modules mid-edit.
 */
export function keepAvailableOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((error: unknown) => console.warn(`offline mode unavailable: ${errorMessage(error)}`));
}

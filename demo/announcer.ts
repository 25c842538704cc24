import { byId } from './dom.js';

/** Says `text` through the page's ARIA live region (role=status), for screen-reader users. */
export function announce(text: string): void {
  const region = byId('announcer');
  // Emptying first makes a repeated identical message count as a change.
  region.textContent = '';
  requestAnimationFrame(() => (region.textContent = text));
}

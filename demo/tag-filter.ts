import type { Prediction } from '../src/index.js';
import { byId, h } from './dom.js';
import type { PhotoRecord } from './photo-record.js';

/** Whether any of a photo's tags contains `query` (case-insensitive); an empty query matches all. */
export function matchesTag(predictions: readonly Prediction[] | undefined, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  return (predictions ?? []).some((p) => p.label.toLowerCase().includes(needle));
}

/** Hides the cards whose top-5 tags do not match the filter box; suggests the tags seen so far. */
export class TagFilter {
  private readonly input = byId<HTMLInputElement>('tag-filter');
  private readonly suggestions = byId('tag-list');
  private readonly seen = new Set<string>();

  constructor(private readonly records: () => readonly PhotoRecord[]) {
    this.input.addEventListener('input', () => this.apply());
  }

  /** A photo got its tags: offer them, and hide the card if it does not match the current filter. */
  add(record: PhotoRecord): void {
    for (const { label } of record.predictions ?? []) {
      if (this.seen.has(label)) continue;
      this.seen.add(label);
      this.suggestions.append(h('option', { value: label }));
    }
    this.show(record);
  }

  apply(): void {
    for (const record of this.records()) this.show(record);
  }

  private show(record: PhotoRecord): void {
    record.card.element.hidden = !matchesTag(record.predictions, this.input.value);
  }
}

import { byId, h } from './dom.js';
import type { PhotoRecord } from './photo-record.js';

/** Whether any of a photo's tags contains `query` (case-insensitive); an empty query matches all. */
export function matchesTag(tags: readonly { readonly label: string }[] | undefined, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  return (tags ?? []).some((p) => p.label.toLowerCase().includes(needle));
}

/** A photo's top-5 ImageNet tags and its taught tags: the filter searches both. */
function tagsOf(record: PhotoRecord): { readonly label: string }[] {
  return [...(record.predictions ?? []), ...(record.customTags ?? [])];
}

/** Hides the cards whose tags do not match the filter box; suggests the tags seen so far. */
export class TagFilter {
  private readonly input = byId<HTMLInputElement>('tag-filter');
  private readonly suggestions = byId('tag-list');
  private readonly seen = new Set<string>();

  constructor(private readonly records: () => readonly PhotoRecord[]) {
    this.input.addEventListener('input', () => this.apply());
  }

  /** A photo got (or changed) its tags: offer them, and hide the card if it does not match the current filter. */
  add(record: PhotoRecord): void {
    for (const { label } of tagsOf(record)) {
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
    record.card.element.hidden = !matchesTag(tagsOf(record), this.input.value);
  }
}

import { byId, h, plural } from './dom.js';
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

/** Hides the cards whose tags do not match the filter box, and says so when none does; suggests the tags seen so far. */
export class TagFilter {
  private readonly input = byId<HTMLInputElement>('tag-filter');
  private readonly suggestions = byId('tag-list');
  private readonly empty = byId('filter-empty');
  private readonly emptyText = byId('filter-empty-text');
  private readonly seen = new Set<string>();

  constructor(private readonly records: () => readonly PhotoRecord[]) {
    this.input.addEventListener('input', () => this.apply());
    byId('filter-clear').addEventListener('click', () => {
      this.input.value = '';
      this.apply();
      this.input.focus();
    });
  }

  /** A photo got (or changed) its tags: offer them, and hide the card if it does not match the current filter. */
  add(record: PhotoRecord): void {
    for (const { label } of tagsOf(record)) {
      if (this.seen.has(label)) continue;
      this.seen.add(label);
      this.suggestions.append(h('option', { value: label }));
    }
    this.show(record);
    this.sayIfEmpty();
  }

  apply(): void {
    for (const record of this.records()) this.show(record);
    this.sayIfEmpty();
  }

  private show(record: PhotoRecord): void {
    record.card.element.hidden = !matchesTag(tagsOf(record), this.input.value);
  }

  /** An empty grid under a filter looks like lost photos: say that the filter hides them all. */
  private sayIfEmpty(): void {
    const query = this.input.value.trim();
    const photos = this.records();
    this.empty.hidden = query === '' || photos.length === 0 || photos.some((record) => !record.card.element.hidden);
    if (!this.empty.hidden) this.emptyText.textContent = `No photo has a tag containing “${query}” (of ${plural(photos.length, 'photo')}).`;
  }
}

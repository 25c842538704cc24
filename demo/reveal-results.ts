import type { PhotoRecord } from './photo-record.js';

function scrollToCard(record: PhotoRecord, block: ScrollLogicalPosition): void {
  const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
  record.card.element.scrollIntoView({ block, behavior: still ? 'auto' : 'smooth' });
}

/**
 * Brings a drop's results into view: on a laptop screen the grid starts below the teach panel, so
 * a newcomer would drop a photo and see nothing happen.
 */
export class ResultsReveal {
  /** The first card of the latest drop, until its tags arrive. */
  private awaiting: PhotoRecord | undefined;

  /** New cards joined the grid: the first goes to the top of the screen, where its tags will land. */
  dropped(records: readonly PhotoRecord[]): void {
    const [first] = records;
    if (!first) return;
    this.awaiting = first;
    scrollToCard(first, 'start');
  }

  /**
   * A card got its tags or its error. The first of the latest drop has grown since it was scrolled
   * to, and at the end of the page the browser could not put it at the top: show all of it now.
   */
  settled(record: PhotoRecord): void {
    if (record !== this.awaiting) return;
    this.awaiting = undefined;
    scrollToCard(record, 'nearest');
  }
}

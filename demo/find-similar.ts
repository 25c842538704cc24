import { announce } from './announcer.js';
import { byId, errorMessage } from './dom.js';
import type { Engine } from './engine.js';
import type { PhotoRecord } from './photo-record.js';
import { embeddingOf } from './record-embedding.js';
import { rankBySimilarity } from './similarity.js';

/**
 * "Find similar": orders the grid by the cosine similarity of each photo's 2048-d embedding to
 * the clicked one. Embeddings are computed on first use only, so plain tagging stays one pass.
 */
export class FindSimilar {
  private readonly grid = byId('grid');
  private readonly reset = byId<HTMLButtonElement>('clear-similar');

  constructor(
    private readonly engine: Engine,
    private readonly records: () => readonly PhotoRecord[],
  ) {
    this.reset.addEventListener('click', () => this.restoreOrder());
  }

  async rank(reference: PhotoRecord): Promise<void> {
    const tagged = this.records().filter((r) => r.status === 'done');
    try {
      await this.embedAll(tagged, reference);
    } catch (error) {
      reference.card.showSimilarity(undefined);
      announce(`Could not compare photos: ${errorMessage(error)}`);
      return;
    }
    const others = tagged.filter((r) => r !== reference);
    const ranked = rankBySimilarity(reference.embedding as Float32Array, others, (r) => r.embedding as Float32Array);
    const untagged = this.records().filter((r) => r.status !== 'done');
    this.grid.append(reference.card.element, ...ranked.map((r) => r.item.card.element), ...untagged.map((r) => r.card.element));
    reference.card.showSimilarity(undefined, true);
    for (const { item, similarity } of ranked) item.card.showSimilarity(similarity);
    this.reset.hidden = false;
    const best = ranked[0];
    announce(best ? `Sorted by similarity to ${reference.name}. Most similar: ${best.item.name}.` : `No other tagged photo to compare ${reference.name} with.`);
  }

  private async embedAll(records: readonly PhotoRecord[], reference: PhotoRecord): Promise<void> {
    const missing = records.filter((r) => !r.embedding);
    for (const [i, record] of missing.entries()) {
      reference.card.showProgress(`comparing ${i + 1} of ${missing.length}…`);
      await embeddingOf(this.engine, record);
    }
  }

  private restoreOrder(): void {
    const records = this.records();
    this.grid.append(...records.map((r) => r.card.element));
    for (const record of records) record.card.showSimilarity(undefined);
    this.reset.hidden = true;
    announce('Back to drop order.');
  }
}

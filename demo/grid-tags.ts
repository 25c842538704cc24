import type { Tagger } from '../src/index.js';
import { announce } from './announcer.js';
import { errorMessage, plural } from './dom.js';
import type { Engine } from './engine.js';
import type { PhotoRecord } from './photo-record.js';
import { embeddingOf } from './record-embedding.js';

/** Taught tags shown per photo: the best one, and up to two more that are at least somewhat likely. */
const TOP_TAGS = 3;
/**
 * With a handful of tags, every one would show on every card (cat 98%, coffee 2%) and match the
 * tag filter there; below this a runner-up is left out.
 */
const RUNNER_UP_MIN = 0.1;

/**
 * Puts the taught tags on the grid's cards: each photo's embedding (computed once, and shared with
 * "Find similar") through the tagger. Only a trained tagger's: its head has learnt every current
 * tag, where kNN on a single tag would call every photo by that one name.
 */
export class GridTags {
  /** Bumped by each `tagAll`, so an older pass stops once a newer one starts. */
  private pass = 0;

  constructor(
    private readonly engine: Engine,
    private readonly tagger: () => Tagger | undefined,
    /** A card's taught tags changed (the tag filter re-checks it). */
    private readonly shown: (record: PhotoRecord) => void,
  ) {}

  /** A photo just got its ImageNet tags: add the taught ones. */
  tagNew(record: PhotoRecord): void {
    if (!this.tagger()?.trained) return;
    this.tag(record).catch((error: unknown) => announce(`Could not put your tags on ${record.name}: ${errorMessage(error)}`));
  }

  /** The tagger changed: every tagged photo again, one at a time, so the cards fill in as their embeddings come. */
  async tagAll(records: readonly PhotoRecord[]): Promise<void> {
    const pass = ++this.pass;
    const done = records.filter((r) => r.status === 'done');
    const failures: string[] = [];
    for (const record of done) {
      if (pass !== this.pass) return;
      await this.tag(record).catch((error: unknown) => failures.push(`${record.name}: ${errorMessage(error)}`));
    }
    if (!this.tagger()?.trained || done.length === 0) return;
    const tagged = done.length - failures.length;
    announce(`Your tags are on ${plural(tagged, 'photo')}.${failures.length ? ` Not on ${failures.join('; ')}.` : ''}`);
  }

  private async tag(record: PhotoRecord): Promise<void> {
    record.customTags = this.tagger()?.trained ? this.predict(await embeddingOf(this.engine, record)) : undefined;
    record.card.showCustomTags(record.customTags);
    this.shown(record);
  }

  /** Read after the embedding arrives: the tagger may have changed (or stopped being trained) meanwhile. */
  private predict(embedding: Float32Array): PhotoRecord['customTags'] {
    const tagger = this.tagger();
    if (!tagger?.trained) return undefined;
    const [best, ...others] = tagger.predictEmbeddings([embedding], { topK: TOP_TAGS })[0] ?? [];
    return best ? [best, ...others.filter((t) => t.probability >= RUNNER_UP_MIN)] : [];
  }
}

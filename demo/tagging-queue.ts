import type { Engine } from './engine.js';
import { errorMessage } from './dom.js';
import type { PhotoRecord } from './photo-record.js';

/** A run of photos tagged back to back; it ends when the queue empties. */
export interface Batch {
  total: number;
  settled: number;
  errors: number;
}

export interface QueueEvents {
  /** A photo got its tags or its error. */
  settled(record: PhotoRecord, batch: Readonly<Batch>): void;
  /** More photos joined the batch. */
  grew(batch: Readonly<Batch>): void;
  finished(batch: Readonly<Batch>): void;
}

/** Tags photos one at a time, in drop order, so each card fills in as soon as its photo is done. */
export class TaggingQueue {
  private readonly waiting: PhotoRecord[] = [];
  private batch: Batch = { total: 0, settled: 0, errors: 0 };
  private draining = false;

  constructor(
    private readonly engine: Engine,
    private readonly events: QueueEvents,
  ) {}

  add(records: readonly PhotoRecord[]): void {
    if (records.length === 0) return;
    this.waiting.push(...records);
    this.batch.total += records.length;
    this.events.grew(this.batch);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    for (let record = this.waiting.shift(); record; record = this.waiting.shift()) {
      await this.tag(record);
      this.batch.settled += 1;
      if (record.status === 'error') this.batch.errors += 1;
      this.events.settled(record, this.batch);
    }
    this.draining = false;
    this.events.finished(this.batch);
    this.batch = { total: 0, settled: 0, errors: 0 };
  }

  private async tag(record: PhotoRecord): Promise<void> {
    // Some files fail their check before they are queued (not an image, too large): nothing to run.
    if (record.status === 'error') return;
    record.card.showWorking();
    try {
      await this.engine.use(async (classifier) => {
        const started = performance.now();
        // One pass gives the labels and the embedding that custom tags and "Find similar" use.
        const { predictions, embedding } = await classifier.analyze(record.file, { topK: 5 });
        record.predictions = predictions;
        record.embedding = embedding;
        record.ms = performance.now() - started;
        record.backend = classifier.backend;
      });
      record.status = 'done';
    } catch (error) {
      record.status = 'error';
      record.error = errorMessage(error);
    }
  }
}

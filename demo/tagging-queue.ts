import type { Classifier, ManyProgress, ManyResult } from '../src/index.js';
import type { Engine } from './engine.js';
import { errorMessage } from './dom.js';
import type { PhotoRecord } from './photo-record.js';

/** A run of photos tagged back to back; it ends when the queue empties or is cancelled. */
export interface Batch {
  total: number;
  settled: number;
  errors: number;
  cancelled: number;
  /** From the SDK's progress: photos per second so far, and the time left (the photos still waiting included). */
  rate?: { imagesPerSecond: number; etaMs: number | undefined };
}

export interface QueueEvents {
  /** A photo got its tags, its error, or was cancelled. */
  settled(record: PhotoRecord, batch: Readonly<Batch>): void;
  /** More photos joined the batch, or its rate changed. */
  progress(batch: Readonly<Batch>): void;
  finished(batch: Readonly<Batch>): void;
}

const newBatch = (): Batch => ({ total: 0, settled: 0, errors: 0, cancelled: 0 });

/**
 * Tags dropped photos with `classifyMany`, one run per drop, in drop order, so each card fills in
 * as soon as its photo is done; `cancel()` ends the batch at once, and the photos not yet tagged say so.
 */
export class TaggingQueue {
  private waiting: PhotoRecord[] = [];
  /** The photos of the run under way. */
  private running: readonly PhotoRecord[] = [];
  private batch = newBatch();
  private controller = new AbortController();
  private draining = false;

  constructor(
    private readonly engine: Engine,
    private readonly events: QueueEvents,
  ) {}

  add(records: readonly PhotoRecord[]): void {
    if (records.length === 0) return;
    this.waiting.push(...records);
    this.batch.total += records.length;
    this.events.progress(this.batch);
    if (!this.draining) void this.drain();
  }

  /**
   * Ends the batch now: its run stops (the photos queued in it never start) and every photo not
   * tagged yet is cancelled. A result that was on its way is dropped; photos dropped from now on
   * make a new batch.
   */
  cancel(): void {
    if (this.batch.total === 0) return;
    this.controller.abort();
    for (const record of [...this.running, ...this.waiting.splice(0)]) if (record.status === 'queued') this.settle(record, 'cancelled');
    this.finish();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0) await this.run(this.waiting.splice(0));
    this.draining = false;
    // A cancelled batch has finished already.
    if (this.batch.total > 0) this.finish();
  }

  private finish(): void {
    this.events.finished(this.batch);
    this.batch = newBatch();
    this.controller = new AbortController();
  }

  /** One drop's photos; those that failed their check before decoding have nothing to run. */
  private async run(records: readonly PhotoRecord[]): Promise<void> {
    for (const record of records) if (record.status === 'error') this.settle(record, 'error');
    const photos = records.filter((record) => record.status === 'queued');
    if (photos.length === 0) return;
    const { signal } = this.controller;
    this.running = photos;
    try {
      await this.engine.alongside((classifier) => this.tag(classifier, photos, signal));
    } catch (error) {
      // Cancelled (cancel() has settled every photo), or the run itself failed (no model loaded).
      if (signal.aborted) return;
      for (const record of photos.filter((r) => r.status === 'queued')) {
        record.error = errorMessage(error);
        this.settle(record, 'error');
      }
    } finally {
      this.running = [];
    }
  }

  private async tag(classifier: Classifier, photos: readonly PhotoRecord[], signal: AbortSignal): Promise<void> {
    const options = { topK: 5, embeddings: true, signal, onProgress: (p: ManyProgress) => this.progress(p) };
    photos[0]?.card.showWorking();
    let previous = performance.now();
    for await (const result of classifier.classifyMany(photos.map((record) => record.file), options)) {
      const record = photos[result.index] as PhotoRecord;
      // Photos overlap in the pipeline, so a photo's cost is the time since the one before it.
      const now = performance.now();
      record.ms = now - previous;
      previous = now;
      record.backend = classifier.backend;
      this.keep(record, result);
      photos[result.index + 1]?.card.showWorking();
    }
  }

  private keep(record: PhotoRecord, result: ManyResult): void {
    if (result.ok) {
      // The same pass gives the embedding that custom tags and "Find similar" use.
      record.predictions = result.predictions;
      record.embedding = result.embedding;
      this.settle(record, 'done');
    } else {
      record.error = errorMessage(result.error);
      this.settle(record, 'error');
    }
  }

  /** The run's rate, and the time left for it and for the photos dropped since it started. */
  private progress({ imagesPerSecond, etaMs }: ManyProgress): void {
    const later = this.waiting.length;
    this.batch.rate = { imagesPerSecond, etaMs: etaMs === undefined ? undefined : etaMs + (later / imagesPerSecond) * 1000 };
    this.events.progress(this.batch);
  }

  private settle(record: PhotoRecord, status: Exclude<PhotoRecord['status'], 'queued'>): void {
    record.status = status;
    this.batch.settled += 1;
    if (status === 'error') this.batch.errors += 1;
    if (status === 'cancelled') this.batch.cancelled += 1;
    this.events.settled(record, this.batch);
  }
}

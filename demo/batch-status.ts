import { byId, plural, seconds } from './dom.js';
import type { PhotoRecord } from './photo-record.js';
import type { Batch } from './tagging-queue.js';

/** "Tagged 20 photos (1 error)." */
export function batchSummary(batch: Readonly<Batch>): string {
  const errors = batch.errors > 0 ? ` (${plural(batch.errors, 'error')})` : '';
  return `Tagged ${plural(batch.total - batch.errors, 'photo')}${errors}.`;
}

/** The batch's progress bar and counts, and the per-photo timing average. */
export class BatchStatus {
  private readonly bar = byId<HTMLProgressElement>('batch-progress');
  private readonly status = byId('batch-status');
  private readonly timing = byId('timing');

  progress(batch: Readonly<Batch>): void {
    this.bar.hidden = false;
    this.bar.max = batch.total;
    this.bar.value = batch.settled;
    this.status.textContent = `Tagging ${Math.min(batch.settled + 1, batch.total)} of ${batch.total}…`;
  }

  finished(batch: Readonly<Batch>): void {
    this.bar.hidden = true;
    this.status.textContent = batchSummary(batch);
  }

  /** Average inference time over every tagged photo so far. */
  showTiming(records: readonly PhotoRecord[]): void {
    const times = records.flatMap((r) => (r.ms === undefined ? [] : [r.ms]));
    if (times.length === 0) return;
    const average = times.reduce((sum, ms) => sum + ms, 0) / times.length;
    this.timing.textContent = `Average ${seconds(average)} per photo (${plural(times.length, 'photo')}).`;
    this.timing.dataset.averageMs = String(Math.round(average));
  }
}

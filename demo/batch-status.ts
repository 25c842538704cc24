import { byId, plural, seconds } from './dom.js';
import type { PhotoRecord } from './photo-record.js';
import type { Batch } from './tagging-queue.js';

/** "Tagged 20 photos.", "Tagged 3 photos (1 error, 16 cancelled)." */
export function batchSummary(batch: Readonly<Batch>): string {
  const others = [batch.errors > 0 && plural(batch.errors, 'error'), batch.cancelled > 0 && `${batch.cancelled} cancelled`].filter(Boolean);
  const tagged = batch.total - batch.errors - batch.cancelled;
  return `Tagged ${plural(tagged, 'photo')}${others.length ? ` (${others.join(', ')})` : ''}.`;
}

/** "8 s", "2 min 5 s": a time left, to the second. */
export function timeLeft(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  return minutes > 0 ? `${minutes} min ${total % 60} s` : `${total} s`;
}

/** "Tagging 5 of 20… 1.9 photos/s, about 8 s left." */
export function batchProgress(batch: Readonly<Batch>): string {
  const counts = `Tagging ${Math.min(batch.settled + 1, batch.total)} of ${batch.total}…`;
  if (!batch.rate) return counts;
  const { imagesPerSecond, etaMs } = batch.rate;
  return `${counts} ${imagesPerSecond.toFixed(1)} photos/s${etaMs === undefined ? '' : `, about ${timeLeft(etaMs)} left`}.`;
}

/** The batch's progress bar, counts, rate and time left, its Cancel button, and the per-photo timing average. */
export class BatchStatus {
  private readonly bar = byId<HTMLProgressElement>('batch-progress');
  private readonly status = byId('batch-status');
  private readonly cancel = byId<HTMLButtonElement>('batch-cancel');
  private readonly timing = byId('timing');

  constructor(onCancel: () => void) {
    this.cancel.addEventListener('click', onCancel);
  }

  progress(batch: Readonly<Batch>): void {
    this.bar.hidden = false;
    this.bar.max = batch.total;
    this.bar.value = batch.settled;
    this.cancel.hidden = false;
    this.status.textContent = batchProgress(batch);
  }

  finished(batch: Readonly<Batch>): void {
    this.bar.hidden = true;
    this.cancel.hidden = true;
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

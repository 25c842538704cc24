import type { ManyProgress } from './many-types.js';

/** Counts settled items and turns the count into classifyMany's progress report. */
export class ProgressMeter {
  private done = 0;
  private failed = 0;
  private readonly started: number;

  constructor(
    /** Known up front for arrays, Sets and Maps; else set once the input runs out. */
    private total: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** The input ran out after `count` items: from now on the total (and an ETA) is known. */
  setTotal(count: number): void {
    this.total = count;
  }

  /** One more item settled; returns where the run stands. */
  settle(ok: boolean): ManyProgress {
    this.done++;
    if (!ok) this.failed++;
    // Never a zero interval, so the rate stays finite on a clock that has not moved.
    const seconds = Math.max(this.now() - this.started, 1) / 1000;
    const imagesPerSecond = this.done / seconds;
    const etaMs = this.total === undefined ? undefined : ((this.total - this.done) / imagesPerSecond) * 1000;
    return { done: this.done, total: this.total, failed: this.failed, imagesPerSecond, etaMs };
  }
}

/** The item count of an input whose size is known without reading it: an array or a Set. */
export function knownSize(inputs: object): number | undefined {
  if (Array.isArray(inputs)) return inputs.length;
  return inputs instanceof Set ? inputs.size : undefined;
}

/** Order statistics for benchmark samples; noisy machines call for medians, not means. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (rank - lo);
}

export const median = (samples: readonly number[]) => percentile(samples, 0.5);

export interface LatencySummary {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly minMs: number;
  /** Images per second at the median latency. */
  readonly imagesPerSecond: number;
}

export function summarize(samplesMs: readonly number[], batch: number): LatencySummary {
  const p50Ms = median(samplesMs);
  return { p50Ms, p95Ms: percentile(samplesMs, 0.95), minMs: Math.min(...samplesMs), imagesPerSecond: (batch * 1000) / p50Ms };
}

/**
 * The median of a[i] / b[i] over rounds in which both ran back to back: a slow spell on a shared
 * machine hits both sides of a pair, so it cancels in the ratio where it would skew either median.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`paired samples differ in length: ${a.length} vs ${b.length}`);
  return median(a.map((value, i) => value / (b[i] as number)));
}

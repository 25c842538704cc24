import type { ScenarioResult } from '../inference/scenario.js';
import { formatMs } from './format.js';
import { barChartSvg, type BarGroup } from './svg-chart.js';

/** Warm batch-1 latency of every stack, one group per scenario, emulated ones marked. */
export function latencyChart(results: readonly ScenarioResult[]): string {
  const groups: BarGroup[] = results.map((r) => ({
    title: r.title,
    emulated: r.emulated !== null,
    bars: r.contenders.flatMap((c) => {
      const one = c.batches.find((b) => b.batch === 1);
      return one ? [{ label: c.name, value: one.p50Ms, ours: c.role === 'ours' }] : [];
    }),
  }));
  return barChartSvg('Warm latency at batch 1, median (log scale; shorter is faster)', formatMs, groups);
}

import type { ConvertBenchRow } from '../convert-benchmark.js';
import type { Machine } from '../machine.js';
import { markdownTable } from './format.js';

export function convertReport(machine: Machine, rows: readonly ConvertBenchRow[]): string {
  const table = markdownTable(
    ['checkpoint', 'size', 'median time', 'median peak RSS', 'RSS / size', 'runs'],
    rows.map((r) => [r.format, `${r.checkpointMB.toFixed(1)} MB`, `${r.medianSeconds.toFixed(2)} s`, `${r.medianPeakRssMB.toFixed(0)} MB`, `${r.rssOverCheckpoint.toFixed(2)}×`, String(r.runs)]),
  );
  return `# Conversion benchmark\n\n${JSON.stringify(machine)}\n\n${table}\n\nTargets: ≤ 5 s and peak RSS ≤ 3× the checkpoint.\n`;
}

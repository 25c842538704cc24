/**
 * `npm run bench [-- <suite>...]`: runs the benchmark suites and writes JSON + Markdown into
 * bench/results/. Suites: convert.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { runConvertBenchmark } from './convert-benchmark.js';

const RESULTS = new URL('./results/', import.meta.url).pathname;

function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 1e9),
    platform: `${platform()} ${arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

function convertTable(rows: ReturnType<typeof runConvertBenchmark>): string {
  const lines = [
    '| checkpoint | size | median time | median peak RSS | RSS / size | runs |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.format} | ${r.checkpointMB.toFixed(1)} MB | ${r.medianSeconds.toFixed(2)} s | ${r.medianPeakRssMB.toFixed(0)} MB | ${r.rssOverCheckpoint.toFixed(2)}× | ${r.runs} |`),
  ];
  return lines.join('\n');
}

const suites = process.argv.slice(2);
const wanted = (name: string) => suites.length === 0 || suites.includes(name);
mkdirSync(RESULTS, { recursive: true });
const env = machine();
if (wanted('convert')) {
  const rows = runConvertBenchmark();
  writeFileSync(`${RESULTS}convert.json`, JSON.stringify({ machine: env, rows }, null, 2));
  const table = convertTable(rows);
  writeFileSync(`${RESULTS}convert.md`, `# Conversion benchmark\n\n${JSON.stringify(env)}\n\n${table}\n\nTargets: ≤ 5 s and peak RSS ≤ 3× the checkpoint.\n`);
  console.log(table);
}

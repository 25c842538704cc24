/**
 * Conversion speed and memory: the real CLI converts a 95 MB checkpoint in a fresh process,
 * several times; we report the median wall time and peak RSS against the targets (≤ 5 s, ≤ 3×
 * the checkpoint's size). Run with `npm run bench -- convert`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticStateDict } from '../converter/synthetic/synthetic-state-dict.js';
import { writeSafetensors, writeTorchLegacyCheckpoint, writeTorchZipCheckpoint } from '../tools/checkpoints/checkpoint-writers.js';
import { median } from './stats.js';

const RUNS = 5;
const ROOT = new URL('../', import.meta.url).pathname;

export interface ConvertBenchRow {
  format: string;
  checkpointMB: number;
  medianSeconds: number;
  medianPeakRssMB: number;
  rssOverCheckpoint: number;
  runs: number;
}

function convertOnce(file: string, out: string): { seconds: number; peakRssMB: number } {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', `${ROOT}bench/rss-reporter.mjs`, `${ROOT}dist/cli/main.js`, 'convert', file, '--out', out, '--force'],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`convert failed: ${child.stderr}`);
  const usage = JSON.parse(/BENCH_RUSAGE (.*)/.exec(child.stderr)?.[1] ?? '{}') as { maxRssKiB: number };
  return { seconds, peakRssMB: (usage.maxRssKiB * 1024) / 1e6 };
}

export function runConvertBenchmark(): ConvertBenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'iw-bench-convert-'));
  const stateDict = syntheticStateDict();
  const formats = {
    'torch zip .pth': ['model.pth', writeTorchZipCheckpoint],
    'torch legacy .pth': ['legacy.pth', writeTorchLegacyCheckpoint],
    safetensors: ['model.safetensors', writeSafetensors],
  } as const;
  try {
    return Object.entries(formats).map(([format, [name, write]]) => {
      const file = join(dir, name);
      write(file, stateDict);
      const samples = Array.from({ length: RUNS }, () => convertOnce(file, join(dir, 'out')));
      const checkpointMB = statSync(file).size / 1e6;
      const medianPeakRssMB = median(samples.map((s) => s.peakRssMB));
      return {
        format,
        checkpointMB,
        medianSeconds: median(samples.map((s) => s.seconds)),
        medianPeakRssMB,
        rssOverCheckpoint: medianPeakRssMB / checkpointMB,
        runs: RUNS,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

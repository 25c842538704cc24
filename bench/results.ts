/** bench/results/: one JSON per scenario, and the report and chart rebuilt from all of them. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ScenarioResult } from './inference/scenario.js';
import { latencyChart } from './report/inference-chart.js';
import { inferenceReport } from './report/inference-report.js';

export const RESULTS = new URL('./results/', import.meta.url).pathname;

/** Writes via a temporary file, so an interrupted run leaves the previous result whole. */
export function writeResult(name: string, content: string): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}${name}.tmp`, content);
  renameSync(`${RESULTS}${name}.tmp`, `${RESULTS}${name}`);
}

/**
 * Rebuilds inference.md and inference.svg from the scenario files present, in `order`: running
 * one scenario updates its rows and keeps the others' (each row says when it was measured).
 */
export function writeInferenceReport(order: readonly string[]): void {
  const results = order
    .filter((id) => existsSync(`${RESULTS}${id}.json`))
    .map((id) => JSON.parse(readFileSync(`${RESULTS}${id}.json`, 'utf8')) as ScenarioResult);
  writeResult('inference.md', inferenceReport(results));
  writeResult('inference.svg', latencyChart(results));
}

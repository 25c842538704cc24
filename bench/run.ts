/**
 * `npm run bench [-- <name>...] [--quick] [--tarball <file.tgz>]`: runs the benchmark suites and writes JSON, Markdown
 * and an SVG chart into bench/results/. Names: `convert`, `graph` (the graph before/after its passes), `profile` (per-op profiles), `profile-litert`
 * (our WASM ops against LiteRT.js's, in Chromium), `self-check` (what the self-check and 'auto''s
 * measuring cost at load), `pool` (worker pool vs one worker vs threaded WASM, and MB per worker), `consumed-app`
 * (the README's app built from a tarball, GPU-less Chromium; `--tarball` for an older one), `browser` (every browser scenario),
 * `node` (every Node scenario), or a scenario id (see bench/inference/scenarios.ts). No name
 * runs everything; `report` only rebuilds inference.md and inference.svg from the scenario files.
 * `--quick` runs one round per batch size: a smoke test, not a measurement. `--batches 1[,8]` keeps
 * only those batch sizes of each scenario's plan (a shorter run on a busy machine).
 */
import { runConsumedAppBenchmark } from './consumed-app/gpu-less-load.js';
import { runSelfCheckCostBenchmark } from './load/self-check-cost.js';
import { runConvertBenchmark } from './convert-benchmark.js';
import { runGraphBenchmark } from './graph/graph-benchmark.js';
import { runNodeProfiles } from './profile/node-profiles.js';
import { runLiteRtOpProfile } from './profile/litert-op-profile.js';
import { runPoolBenchmark } from './pool/pool-bench.js';
import { runScenario } from './inference/run-scenario.js';
import type { Scenario } from './inference/scenario.js';
import { SCENARIOS } from './inference/scenarios.js';
import { machine } from './machine.js';
import { convertReport } from './report/convert-report.js';
import { writeInferenceReport, writeResult } from './results.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const tarballAt = args.indexOf('--tarball');
const tarball = tarballAt >= 0 ? args[tarballAt + 1] : undefined;
const batchesAt = args.indexOf('--batches');
const batches = batchesAt >= 0 ? (args[batchesAt + 1] ?? '').split(',').map(Number) : undefined;
// Options that take a value: neither they nor their values are benchmark names.
const optionWords = new Set([tarballAt, batchesAt].filter((i) => i >= 0).flatMap((i) => [i, i + 1]));
const names = args.filter((a, i) => a !== '--quick' && !optionWords.has(i));
const known = ['convert', 'graph', 'profile', 'profile-litert', 'self-check', 'pool', 'consumed-app', 'browser', 'node', 'report', ...SCENARIOS.map((s) => s.id)];
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${known.join(', ')}`);
  process.exit(2);
}

const onlyReport = names.length === 1 && names[0] === 'report';
const wanted = (name: string) => !onlyReport && (names.length === 0 || names.includes(name));
const scenarioWanted = (s: Scenario) => wanted(s.id) || wanted(s.id.split('-')[0] as string);
const smoke = (s: Scenario): Scenario => ({ ...s, plan: s.plan.map((p) => ({ ...p, rounds: 1, warmup: 0 })), note: 'QUICK SMOKE RUN, one round: not a measurement' });
/** The scenario with only the `--batches` sizes; the peak-memory pass only where its batch stays. */
function limitBatches(s: Scenario, keep: readonly number[]): Scenario {
  const plan = s.plan.filter((p) => keep.includes(p.batch));
  const peakBatch = s.peakBatch === undefined ? undefined : s.peakBatch !== null && keep.includes(s.peakBatch) ? s.peakBatch : null;
  const note = `${s.note ? `${s.note}; ` : ''}this run: batch ${plan.map((p) => p.batch).join(', ')} only (--batches)`;
  return { ...s, plan, note, ...(peakBatch !== undefined && { peakBatch }) };
}

if (wanted('convert')) {
  const rows = runConvertBenchmark();
  writeResult('convert.json', JSON.stringify({ machine: machine(), rows }, null, 2));
  writeResult('convert.md', convertReport(machine(), rows));
  console.log(`conversion: ${rows.map((r) => `${r.format} ${r.medianSeconds.toFixed(2)} s`).join(', ')}`);
}

if (wanted('graph')) await runGraphBenchmark();

if (wanted('profile')) await runNodeProfiles(quick);
if (wanted('profile-litert')) await runLiteRtOpProfile(quick);

if (wanted('consumed-app')) {
  const result = await runConsumedAppBenchmark(tarball);
  writeResult('consumed-app.json', `${JSON.stringify({ machine: machine(), ...result }, null, 2)}\n`);
  console.log(`consumed-app: median load ${result.medianLoadMs.toFixed(0)} ms, first classification ${result.medianFirstClassifyMs.toFixed(0)} ms`);
}

if (wanted('self-check')) {
  const rows = await runSelfCheckCostBenchmark();
  writeResult('self-check.json', `${JSON.stringify({ machine: machine(), rows }, null, 2)}\n`);
  for (const row of rows) console.log(`${row.case}: ${row.backend}, self-check ${row.selfCheck}, +${row.extraInferences} inferences, total ${row.medianTotalMs.toFixed(0)} ms (warm-up ${row.medianWarmupMs.toFixed(0)}, measuring ${row.medianMeasureMs.toFixed(0)})`);
}

if (wanted('pool')) {
  const result = await runPoolBenchmark(quick);
  writeResult('pool.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`pool: ${result.contenders.map((c) => `${c.name} ${c.imagesPerSecond} images/s`).join('; ')}; pool vs one worker ${result.poolVsOneWorker}x, vs threaded ${result.poolVsThreadedWasm}x; MB per worker ${JSON.stringify(result.megabytesPerWorker)}`);
}

let failed = false;
for (const scenario of SCENARIOS.filter(scenarioWanted)) {
  try {
    const limited = batches ? limitBatches(scenario, batches) : scenario;
    const result = await runScenario(quick ? smoke(limited) : limited);
    writeResult(`${scenario.id}.json`, `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    failed = true;
    console.error(`${scenario.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  writeInferenceReport(SCENARIOS.map((s) => s.id));
}
if (onlyReport) writeInferenceReport(SCENARIOS.map((s) => s.id));
console.log('\nresults in bench/results/ (inference.md, inference.svg, <scenario>.json, convert.*)');
// Browsers and child processes are closed; exit even if a library left a handle open.
process.exit(failed ? 1 : 0);

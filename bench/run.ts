/**
 * `npm run bench [-- <name>...] [--quick] [--tarball <file.tgz>]`: runs the benchmark suites and writes JSON, Markdown
 * and an SVG chart into bench/results/. Names: `convert`, `graph` (the graph before/after its passes), `profile` (per-op profiles), `consumed-app`
 * (the README's app built from a tarball, GPU-less Chromium; `--tarball` for an older one), `browser` (every browser scenario),
 * `node` (every Node scenario), or a scenario id (see bench/inference/scenarios.ts). No name
 * runs everything; `report` only rebuilds inference.md and inference.svg from the scenario files.
 * `--quick` runs one round per batch size: a smoke test, not a measurement.
 */
import { runConsumedAppBenchmark } from './consumed-app/gpu-less-load.js';
import { runConvertBenchmark } from './convert-benchmark.js';
import { runGraphBenchmark } from './graph/graph-benchmark.js';
import { runNodeProfiles } from './profile/node-profiles.js';
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
const names = args.filter((a, i) => a !== '--quick' && (tarballAt < 0 || (i !== tarballAt && i !== tarballAt + 1)));
const known = ['convert', 'graph', 'profile', 'consumed-app', 'browser', 'node', 'report', ...SCENARIOS.map((s) => s.id)];
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${known.join(', ')}`);
  process.exit(2);
}

const onlyReport = names.length === 1 && names[0] === 'report';
const wanted = (name: string) => !onlyReport && (names.length === 0 || names.includes(name));
const scenarioWanted = (s: Scenario) => wanted(s.id) || wanted(s.id.split('-')[0] as string);
const smoke = (s: Scenario): Scenario => ({ ...s, plan: s.plan.map((p) => ({ ...p, rounds: 1, warmup: 0 })), note: 'QUICK SMOKE RUN, one round: not a measurement' });

if (wanted('convert')) {
  const rows = runConvertBenchmark();
  writeResult('convert.json', JSON.stringify({ machine: machine(), rows }, null, 2));
  writeResult('convert.md', convertReport(machine(), rows));
  console.log(`conversion: ${rows.map((r) => `${r.format} ${r.medianSeconds.toFixed(2)} s`).join(', ')}`);
}

if (wanted('graph')) await runGraphBenchmark();

if (wanted('profile')) await runNodeProfiles(quick);

if (wanted('consumed-app')) {
  const result = await runConsumedAppBenchmark(tarball);
  writeResult('consumed-app.json', `${JSON.stringify({ machine: machine(), ...result }, null, 2)}\n`);
  console.log(`consumed-app: median load ${result.medianLoadMs.toFixed(0)} ms, first classification ${result.medianFirstClassifyMs.toFixed(0)} ms`);
}

let failed = false;
for (const scenario of SCENARIOS.filter(scenarioWanted)) {
  try {
    const result = await runScenario(quick ? smoke(scenario) : scenario);
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

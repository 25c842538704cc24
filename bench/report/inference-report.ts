/** The Markdown report of the inference scenarios: latency, ratios, load and memory, targets. */
import type { ContenderResult, ScenarioResult } from '../inference/scenario.js';
import { formatMB, formatMs, formatRate, formatRatio, markdownTable } from './format.js';

const BATCHES = [1, 8, 32] as const;

/** The scenario and target the issue sets: WASM in Chromium, warm, batch 1. */
export const TARGET_SCENARIO = 'browser-wasm-threads';

const batchOf = (c: ContenderResult, batch: number) => c.batches.find((b) => b.batch === batch);

function latencyRows(results: readonly ScenarioResult[]): string[][] {
  return results.flatMap((r) =>
    r.contenders.map((c) => {
      const one = batchOf(c, 1);
      const rate = (batch: number) => {
        const found = batchOf(c, batch);
        return found ? formatRate(found.imagesPerSecond) : 'not measured';
      };
      const rounds = BATCHES.map((b) => batchOf(c, b)?.rounds ?? 0).join(' / ');
      return [r.id, c.name, String(c.info.threads ?? '–'), one ? formatMs(one.p50Ms) : '–', one ? formatMs(one.p95Ms) : '–', rate(8), rate(32), rounds];
    }),
  );
}

function latencyTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'stack', 'threads', 'batch 1 p50', 'batch 1 p95', 'batch 8', 'batch 32', 'rounds (1 / 8 / 32)'];
  return markdownTable(header, latencyRows(results));
}

function ratioTable(results: readonly ScenarioResult[]): string {
  const rows = results.flatMap((r) => {
    const peers = [...new Set(r.ratios.map((x) => x.peer))];
    return peers.map((peer) => [
      r.id,
      peer,
      ...BATCHES.map((batch) => {
        const found = r.ratios.find((x) => x.peer === peer && x.batch === batch);
        return found ? formatRatio(found.oursOverPeer) : '–';
      }),
    ]);
  });
  return markdownTable(['scenario', 'ours / peer', 'batch 1', 'batch 8', 'batch 32'], rows);
}

function loadRows(results: readonly ScenarioResult[]): string[][] {
  return results.flatMap((r) =>
    r.contenders.map((c) => {
      const load = (source: string) => c.load.loads.find((l) => l.source === source);
      const first = load('network') ?? load('disk');
      const again = load('cache');
      const held = c.memory.backendMB === undefined ? [] : [`${formatMB(c.memory.backendMB)} held`];
      const peak = c.peakBackend ? [`${formatMB(c.peakBackend.mb)} peak at batch ${c.peakBackend.batch}`] : [];
      const backend = [...held, ...peak].join(', ') || '–';
      const vsOurs = c.parityWithOurs ? `; vs ours ${c.parityWithOurs.maxAbsDiff.toExponential(1)}` : '';
      const parity = `${c.parity.maxAbsDiff.toExponential(1)}${c.parity.top1 ? '' : ' (top-1 differs!)'}${vsOurs}`;
      return [
        r.id,
        c.name,
        first ? `${formatMs(first.ms)} (${first.source})` : '–',
        again ? formatMs(again.ms) : '–',
        formatMs(c.load.coldFirstMs),
        formatMB(c.memory.jsHeapPeakMB),
        formatMB(c.memory.rssPeakMB),
        backend,
        parity,
      ];
    }),
  );
}

function loadTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'stack', 'load', 'load from cache', 'cold first inference', 'peak JS heap', 'peak RSS', 'backend memory', 'max |Δ| vs PyTorch (vs ours)'];
  return markdownTable(header, loadRows(results));
}

/** The targets for WASM in Chromium at batch 1, judged from the interleaved ratios. */
export function targetLines(results: readonly ScenarioResult[]): string[] {
  const scenario = results.find((r) => r.id === TARGET_SCENARIO);
  if (!scenario) return [`- not measured in this run (\`npm run bench -- ${TARGET_SCENARIO}\`)`];
  const ratio = (peer: string) => scenario.ratios.find((x) => x.batch === 1 && x.peer.startsWith(peer))?.oursOverPeer;
  const judge = (value: number | undefined, limit: number, inclusive: boolean) =>
    value === undefined ? 'not measured' : (inclusive ? value <= limit : value < limit) ? 'met' : 'NOT met';
  const torch = ratio('PyTorch');
  const ort = ratio('ORT-web');
  return [
    `- ours / PyTorch CPU = ${torch === undefined ? '–' : formatRatio(torch)} (target ≤ 2×): ${judge(torch, 2, true)}`,
    `- ours / ORT-web wasm = ${ort === undefined ? '–' : formatRatio(ort)} (target < 1×, faster than ORT-web): ${judge(ort, 1, false)}`,
  ];
}

/** Issue #15's targets against LiteRT.js on the same weights, batch 1: ≤ 0.9× on WASM, ≤ 1× on WebGPU. */
const LITERT_TARGETS = [
  { scenario: 'browser-wasm', limit: 0.9 },
  { scenario: 'browser-wasm-threads', limit: 0.9 },
  { scenario: 'browser-webgpu', limit: 1.0 },
] as const;

export function liteRtTargetLines(results: readonly ScenarioResult[]): string[] {
  return LITERT_TARGETS.map(({ scenario, limit }) => {
    const ratio = results.find((r) => r.id === scenario)?.ratios.find((x) => x.batch === 1 && x.peer.startsWith('LiteRT.js'))?.oursOverPeer;
    const verdict = ratio === undefined ? 'not measured' : ratio <= limit ? 'met' : 'NOT met';
    return `- ${scenario}: ours / LiteRT.js = ${ratio === undefined ? '–' : formatRatio(ratio)} (target ≤ ${formatRatio(limit)}): ${verdict}`;
  });
}

function environmentLines(results: readonly ScenarioResult[]): string[] {
  return results.map((r) => {
    const adapter = r.contenders.map((c) => c.info.webGpuAdapter).find(Boolean);
    const facts = { ...r.environment, ...(adapter && !r.environment.webGpuAdapter && { webGpuAdapter: adapter }) };
    const env = Object.entries(facts).filter(([, value]) => value !== null).map(([key, value]) => `${key}: ${String(value)}`).join('; ');
    return `- **${r.id}** (${r.machine.date}, load average ${r.machine.loadAverage} → ${r.loadAverageAfter}, ${r.wallSeconds.toFixed(0)} s): ${r.title}. ${env}`;
  });
}

function noteLines(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((r) => [
    ...(r.emulated ? [`- **${r.id}**: emulated on the CPU by ${r.emulated}. Not GPU speed.`] : []),
    ...(r.note ? [`- **${r.id}**: ${r.note}.`] : []),
    ...r.failures.map((f) => `- **${r.id}**: ${f.name} could not run: ${f.error.split('\n')[0]}`),
  ]);
}

function section(title: string, results: readonly ScenarioResult[]): string[] {
  if (results.length === 0) return [];
  return [`## ${title}`, '', latencyTable(results), '', '### ours / peer, median of per-round ratios (below 1: ours is faster)', '', ratioTable(results), ''];
}

export function inferenceReport(results: readonly ScenarioResult[]): string {
  const real = results.filter((r) => !r.emulated);
  const emulated = results.filter((r) => r.emulated);
  const [first] = results;
  const host = first ? `${first.machine.cpu}, ${first.machine.cores} cores, ${first.machine.memoryGB} GB, ${first.machine.platform}, Node ${first.machine.node}` : 'no results';
  return [
    '# Inference benchmarks',
    '',
    `Machine: ${host}. Warm latency is the median (p50) and 95th percentile of interleaved rounds; throughput is images per second at the median; every stack reads the logits back.`,
    '',
    '## Targets: WASM in Chromium, warm, batch 1',
    '',
    ...targetLines(results),
    '',
    '## Targets against LiteRT.js on the same weights (issue #15), batch 1',
    '',
    ...liteRtTargetLines(results),
    '',
    ...section('CPU backends', real),
    ...section('Emulated GPUs: software on the CPU, never GPU speed', emulated),
    '## Load, cold start, memory, correctness',
    '',
    loadTable(results),
    '',
    '## Runs',
    '',
    ...environmentLines(results),
    '',
    '## Notes',
    '',
    ...noteLines(results),
    '',
  ].join('\n');
}

/** The Markdown report of bench/gpu/gpu-bench.ts: our Node+Dawn WebGPU path against PyTorch CUDA. */
import type { ContenderResult, ScenarioResult } from '../inference/scenario.js';
import { formatMs, formatRate, formatRatio, markdownTable } from './format.js';

/** The issue's H100 targets. */
export const GPU_TARGETS = { batch32ImagesPerSecond: 2000, coldStartMs: 500 } as const;

/** Load from disk plus first inference, in a fresh process (Node start-up and imports excluded). */
export function coldStartMs(c: ContenderResult): number {
  return c.load.loads.reduce((sum, l) => sum + l.ms, 0) + c.load.coldFirstMs;
}

function latencyTable(result: ScenarioResult): string {
  const rows = result.contenders.flatMap((c) =>
    c.batches.map((b) => [c.name, String(b.batch), formatMs(b.p50Ms), formatMs(b.minMs), formatMs(b.p95Ms), formatRate(b.imagesPerSecond), String(b.rounds)]),
  );
  return markdownTable(['stack', 'batch', 'p50', 'min', 'p95', 'throughput at p50', 'rounds'], rows);
}

function ratioTable(result: ScenarioResult): string {
  return markdownTable(['ours / peer', 'batch', 'median of per-round ratios'], result.ratios.map((r) => [r.peer, String(r.batch), formatRatio(r.oursOverPeer)]));
}

function targetLines(result: ScenarioResult): string[] {
  const ours = result.contenders.find((c) => c.role === 'ours');
  if (!ours) return ['- ours did not run'];
  const eager = result.ratios.find((r) => r.batch === 1 && r.peer.includes('eager'));
  const b32 = ours.batches.find((b) => b.batch === 32);
  const cold = coldStartMs(ours);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
  return [
    `- batch 1, ours / PyTorch eager = ${eager ? formatRatio(eager.oursOverPeer) : '–'} (target ≤ 1×): ${verdict(eager && eager.oursOverPeer <= 1)}`,
    `- batch 32 = ${b32 ? formatRate(b32.imagesPerSecond) : '–'} (target ≥ ${GPU_TARGETS.batch32ImagesPerSecond} img/s): ${verdict(b32 && b32.imagesPerSecond >= GPU_TARGETS.batch32ImagesPerSecond)}`,
    `- cold start (load from disk + first inference) = ${formatMs(cold)} (target ≤ ${GPU_TARGETS.coldStartMs} ms): ${verdict(cold <= GPU_TARGETS.coldStartMs)}`,
  ];
}

/** Dawn on a software driver (lavapipe) or the wrong GPU gives numbers that are not GPU speed. */
function adapterWarning(result: ScenarioResult): string[] {
  const adapter = String(result.contenders.find((c) => c.role === 'ours')?.info.webGpuAdapter ?? '');
  return /nvidia/i.test(adapter) ? [] : [`**Not GPU speed**: the WebGPU adapter is ${adapter || 'unknown'}, not an NVIDIA GPU.`, ''];
}

export function gpuReport(result: ScenarioResult): string {
  const devices = result.contenders.map((c) => `- ${c.name}: ${JSON.stringify(c.info)}; max |Δ| vs PyTorch CPU reference ${c.parity.maxAbsDiff.toExponential(1)}${c.parity.top1 ? '' : ' (top-1 differs!)'}; cold first inference ${formatMs(c.load.coldFirstMs)}`);
  return [
    `# ${result.title}`,
    '',
    `${result.machine.date}, ${result.machine.cpu} (${result.machine.cores} cores), Node ${result.machine.node}. Every stack reads the logits back inside the timed region; rounds are interleaved.${result.note ? ` ${result.note}.` : ''}`,
    '',
    ...adapterWarning(result),
    '## Targets',
    '',
    ...targetLines(result),
    '',
    '## Latency and throughput',
    '',
    latencyTable(result),
    '',
    ratioTable(result),
    '',
    '## Stacks',
    '',
    ...devices,
    ...result.failures.map((f) => `- ${f.name} could not run: ${f.error.split('\n')[0]}`),
    '',
  ].join('\n');
}

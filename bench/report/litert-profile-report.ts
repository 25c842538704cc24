/** The Markdown report of the op profile against LiteRT.js (bench/profile/litert-op-profile.ts). */
import type { Machine } from '../machine.js';
import type { TimedKernel } from '../profile/page-op-timings.js';
import { strideAndPadding } from '../profile/single-op-models.js';
import { formatMs, formatRatio, markdownTable } from './format.js';

export interface ProfiledKernel extends TimedKernel {
  /** LiteRT.js's median for the same op alone; null for kernels with no single-op counterpart (Reshape). */
  readonly litertMs: number | null;
}

export interface LiteRtProfile {
  readonly machine: Machine;
  readonly browser: string;
  readonly rounds: number;
  readonly oursInferenceMs: number;
  readonly litertInferenceMs: number;
  /** The whole model on LiteRT.js's compat build (no relaxed SIMD), to separate instruction set from kernels. */
  readonly litertCompatInferenceMs: number;
  /** Whole inferences, ours / theirs: the median of per-round ratios. */
  readonly oursOverLitert: number;
  readonly oursOverCompat: number;
  readonly kernels: readonly ProfiledKernel[];
}

interface Group {
  readonly label: string;
  calls: number;
  ours: number;
  litert: number;
}

const CONVS = new Set(['FusedConv2D', 'Conv2D']);

/** A convolution's window and stride ('3×3 /2'), the axis its costs differ along. */
export function convClass(kernel: TimedKernel): string {
  const [kh, kw] = kernel.inputShapes[1] ?? [];
  const { stride } = strideAndPadding(kernel.inputShapes[0] ?? [], kernel.outputShape, [kh ?? 1, kw ?? 1]);
  return `${kernel.name === 'Conv2D' ? 'pool-branch ' : ''}${kh}×${kw}${stride > 1 ? ` /${stride}` : ''}`;
}

/** Sums ours and LiteRT.js's times per label, over kernels LiteRT.js timed. */
export function groupBy(kernels: readonly ProfiledKernel[], label: (k: ProfiledKernel) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const k of kernels) {
    if (k.litertMs === null) continue;
    const name = label(k);
    const group = groups.get(name) ?? { label: name, calls: 0, ours: 0, litert: 0 };
    group.calls++;
    group.ours += k.ms;
    group.litert += k.litertMs;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.ours - b.litert - (a.ours - a.litert));
}

function groupTable(first: string, groups: readonly Group[]): string {
  const gap = groups.reduce((sum, g) => sum + g.ours - g.litert, 0);
  const rows = groups.map((g) => [
    g.label,
    String(g.calls),
    formatMs(g.ours),
    formatMs(g.litert),
    formatRatio(g.ours / g.litert),
    formatMs(g.ours - g.litert),
    gap > 0 ? `${((100 * (g.ours - g.litert)) / gap).toFixed(0)} %` : '–',
  ]);
  return markdownTable([first, 'calls', 'ours', 'LiteRT.js', 'ours / LiteRT.js', 'gap', 'share of gap'], rows);
}

const shapes = (k: TimedKernel) => k.inputShapes.slice(0, 2).map((s) => `[${s.join(',')}]`).join(' ');

export function liteRtProfileReport(p: LiteRtProfile): string {
  const timed = p.kernels.filter((k) => k.litertMs !== null);
  const oursSum = timed.reduce((s, k) => s + k.ms, 0);
  const litertSum = timed.reduce((s, k) => s + (k.litertMs ?? 0), 0);
  const widest = [...timed].sort((a, b) => b.ms - (b.litertMs ?? 0) - (a.ms - (a.litertMs ?? 0))).slice(0, 10);
  return [
    '# Op profile: our WASM path against LiteRT.js',
    '',
    `Measured ${p.machine.date} on ${p.machine.cpu}, ${p.machine.cores} cores (load average ${p.machine.loadAverage}), ${p.browser}, WASM, 1 thread, median of ${p.rounds} interleaved rounds.`,
    'Ours: tf.profile of warm inferences through the SDK (each kernel flushed before the next). LiteRT.js: each op alone as a one-operator',
    '.tflite of the same shapes written by our TFLite encoder, run on fixed inputs (its per-run input copy included).',
    '',
    `- Whole inference: ours ${formatMs(p.oursInferenceMs)}, LiteRT.js ${formatMs(p.litertInferenceMs)} (same weights): ours / LiteRT.js = ${formatRatio(p.oursOverLitert)} (median of per-round ratios).`,
    `- LiteRT.js on its build without relaxed SIMD (\`litert_wasm_compat_internal\`, SIMD128 like TF.js's): ${formatMs(p.litertCompatInferenceMs)}: ours / that = ${formatRatio(p.oursOverCompat)}.`,
    `- Sum over the ${timed.length} ops both ran: ours ${formatMs(oursSum)}, LiteRT.js ${formatMs(litertSum)} (${formatRatio(oursSum / litertSum)}).`,
    '',
    '## By op',
    '',
    groupTable('op', groupBy(p.kernels, (k) => k.name)),
    '',
    '## Convolutions by window and stride',
    '',
    groupTable('convolution', groupBy(p.kernels.filter((k) => CONVS.has(k.name)), convClass)),
    '',
    '## The ten ops with the widest gap',
    '',
    markdownTable(
      ['op', 'input, filter', 'output', 'ours', 'LiteRT.js', 'ours / LiteRT.js'],
      widest.map((k) => [k.name, shapes(k), `[${k.outputShape.join(',')}]`, formatMs(k.ms), formatMs(k.litertMs ?? Number.NaN), formatRatio(k.ms / (k.litertMs ?? Number.NaN))]),
    ),
    '',
  ].join('\n');
}

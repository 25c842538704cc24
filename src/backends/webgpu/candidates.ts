import { gemmRows, type ConvShape } from './conv-shape.js';
import { lanes } from './channel-span.js';
import { gemm, STOCK, type GemmConfig, type KernelChoice } from './kernel-config.js';

/** Register blocks (rows × column vectors) worth timing: measured best on lavapipe for Inception's shapes. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [4, 2],
  [8, 1],
  [4, 1],
  [8, 2],
];

/** Below this many output pixels (17×17 at batch 1) too few invocations fill a GPU, so split-K is tried. */
const SPLIT_K_MAX_ROWS = 17 * 17;
/** A split-K slice keeps at least this many input channels, or its partial sums cost more than they save. */
const MIN_SLICE_CHANNELS = 64;

/** The configuration our kernel runs where no plan was tuned (`webgpuKernels: 'ours'`). */
export function defaultConfig(shape: ConvShape, f16 = false): GemmConfig {
  return gemmRows(shape) <= 8 * 8 ? gemm(8, 1, 1, f16) : gemm(4, 2, 1, f16);
}

/**
 * What the autotuner times for a shape: stock TF.js first (so a plan is never slower), then ours,
 * then (with `f16`) ours in half precision, so a budget that runs out has timed the f32 ones.
 */
export function candidates(shape: ConvShape, f16 = false): KernelChoice[] {
  const rowsTotal = gemmRows(shape);
  const blocks = BLOCKS.filter(([rows]) => rows <= rowsTotal).map(([rows, cols]) => gemm(rows, Math.min(cols, shape.outChannels / lanes(shape.outChannels))));
  const splits = rowsTotal <= SPLIT_K_MAX_ROWS ? [2, 4].filter((k) => shape.inChannels / k >= MIN_SLICE_CHANNELS) : [];
  const unique = new Map<string, KernelChoice>([['stock', STOCK]]);
  for (const config of [...blocks, ...splits.map((k) => gemm(4, 1, k))]) unique.set(`${config.rows}x${config.colVecs}k${config.splitK}`, config);
  const ours = [...unique.values()];
  return f16 ? [...ours, ...ours.flatMap((choice) => (choice.kind === 'gemm' ? [{ ...choice, f16 }] : []))] : ours;
}

import type { Machine } from '../machine.js';
import type { LatencySummary } from '../stats.js';
import type { Contender } from './contender.js';
import type { BatchPlan } from './interleave.js';
import type { LoadReport, MemoryReport, StackInfo } from './protocol.js';

/** Contenders measured side by side in one environment (a browser mode, a Node process kind). */
export interface Scenario {
  /** Also the name that selects it: `npm run bench -- <id>`. */
  readonly id: string;
  readonly title: string;
  /** What emulates the GPU on the CPU, when one does: such numbers are never GPU speed. */
  readonly emulated?: string;
  readonly plan: readonly BatchPlan[];
  /** Why batch sizes are missing or iterations few, shown with the results. */
  readonly note?: string;
  /**
   * Batch size of the extra inference that measures peak backend memory; null skips it where
   * one more pass takes too long. @default the plan's largest
   */
  readonly peakBatch?: number | null;
  open(): Promise<OpenScenario>;
}

export interface OpenScenario {
  /** Browser version, WebGPU adapter, WebGL renderer... */
  readonly environment: StackInfo;
  readonly contenders: readonly Contender[];
  close(): Promise<void>;
}

/** An open scenario whose close() ends every contender, then the host (browser, server). */
export function openScenario(environment: OpenScenario['environment'], contenders: readonly Contender[], closeHost: () => Promise<void>): OpenScenario {
  return {
    environment,
    contenders,
    close: async () => {
      for (const contender of contenders) await contender.close();
      await closeHost();
    },
  };
}

export interface BatchResult extends LatencySummary {
  readonly batch: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly samplesMs: readonly number[];
}

export interface ContenderResult {
  readonly name: string;
  readonly role: Contender['role'];
  readonly info: StackInfo;
  readonly load: LoadReport;
  /** Logits of seedA image 0 against PyTorch's reference: max |Δ| and whether the top class agrees. */
  readonly parity: { readonly maxAbsDiff: number; readonly top1: boolean };
  /** For peers on our converter's output: max |Δ| of its logits against ours, and the limit it met. */
  readonly parityWithOurs?: { readonly maxAbsDiff: number; readonly tolerance: number };
  readonly batches: readonly BatchResult[];
  /** Peak backend memory during one inference at `batch` (TF.js's tf.profile; CUDA's allocator). */
  readonly peakBackend: { readonly batch: number; readonly mb: number } | null;
  readonly memory: MemoryReport;
}

/** ours / peer at one batch size: the median of per-round ratios. */
export interface Ratio {
  readonly peer: string;
  readonly batch: number;
  readonly oursOverPeer: number;
  readonly rounds: number;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly emulated: string | null;
  readonly note: string | null;
  readonly machine: Machine;
  /** Load average when the scenario ended, to judge the noise. */
  readonly loadAverageAfter: number;
  readonly wallSeconds: number;
  readonly environment: StackInfo;
  readonly contenders: readonly ContenderResult[];
  /** Contenders that could not load or run here, and why: reported, not measured. */
  readonly failures: readonly { readonly name: string; readonly error: string }[];
  readonly ratios: readonly Ratio[];
}

import { readJsonEntry, writeJsonEntry } from '../../load/cached-model.js';
import type { ModelCache } from '../../load/model-cache.js';
import type { KernelChoice } from './kernel-config.js';

/** What is stored per adapter and model: the tuned choice per conv shape. */
export interface StoredPlan {
  readonly version: 1;
  readonly choices: Record<string, KernelChoice>;
  /** Tuned with f16 kernels: per shape where one won, the f32 choice that replaces it if f16 is dropped. */
  readonly f32Choices?: Record<string, KernelChoice>;
  /** Why the self-check dropped the f16 kernels (`choices` are then all f32). */
  readonly f16Dropped?: string;
  /** How long tuning took when the plan was made. */
  readonly tuningMs: number;
  readonly complete: boolean;
  /** Where shapes not yet tuned run (an incomplete plan); absent in plans from before: 'stock'. */
  readonly untuned?: 'ours' | 'stock';
}

export type AdapterFields = Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>>;

/** vendor/architecture/device/description: a plan is only valid on the GPU (and driver) that timed it. */
export const adapterName = (info: AdapterFields): string =>
  [info.vendor, info.architecture, info.device, info.description].map((field) => field ?? '').join('/');

/** Plans tuned with f16 kernels among the candidates are kept apart from f32-only ones. */
export const planCacheKey = (adapter: string, modelSha256: string, f16 = false): string => `webgpu-plan${f16 ? '-f16' : ''}:${modelSha256}:${adapter}`;

function isStoredPlan(value: unknown): value is StoredPlan {
  const plan = value as Partial<StoredPlan> | null;
  return plan?.version === 1 && typeof plan.choices === 'object' && plan.choices !== null && typeof plan.tuningMs === 'number';
}

/** The stored plan, or undefined (none, or unreadable: then it is tuned again). */
export function readPlan(cache: ModelCache, key: string): Promise<StoredPlan | undefined> {
  return readJsonEntry(cache, key, isStoredPlan);
}

export function writePlan(cache: ModelCache, key: string, plan: StoredPlan): Promise<boolean> {
  return writeJsonEntry(cache, key, plan);
}

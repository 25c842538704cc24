import { readJsonEntry, writeJsonEntry } from '../../load/cached-model.js';
import type { ModelCache } from '../../load/model-cache.js';
import type { KernelChoice } from './kernel-config.js';

/** What is stored per adapter and model: the tuned choice per conv shape. */
export interface StoredPlan {
  readonly version: 1;
  readonly choices: Record<string, KernelChoice>;
  /** How long tuning took when the plan was made. */
  readonly tuningMs: number;
  readonly complete: boolean;
}

export type AdapterFields = Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>>;

/** vendor/architecture/device/description: a plan is only valid on the GPU (and driver) that timed it. */
export const adapterName = (info: AdapterFields): string =>
  [info.vendor, info.architecture, info.device, info.description].map((field) => field ?? '').join('/');

export const planCacheKey = (adapter: string, modelSha256: string): string => `webgpu-plan:${modelSha256}:${adapter}`;

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

import { POOL_DEFAULTS } from '../options.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';

/** What the browser tells about the device; either may be missing (deviceMemory is Chromium's). */
export interface DeviceResources {
  readonly hardwareConcurrency?: number;
  /** GiB, rounded down and capped at 8 by the browser. */
  readonly deviceMemory?: number;
}

export function deviceResources(): DeviceResources {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  return { hardwareConcurrency: nav?.hardwareConcurrency, deviceMemory: nav?.deviceMemory };
}

/**
 * The default pool size: one worker per logical core, no more than POOL_DEFAULTS.maxSize, and no
 * more than a memory budget (a share of deviceMemory) holds, since each worker keeps its own copy
 * of the weights. At least 1.
 */
export function defaultPoolSize(device: DeviceResources, dtype: InceptionModelMetadata['weights']['dtype']): number {
  const cores = device.hardwareConcurrency ?? 1;
  const budgetMb = device.deviceMemory === undefined ? Infinity : device.deviceMemory * 1024 * POOL_DEFAULTS.memoryBudgetFraction;
  const byMemory = Math.floor(budgetMb / POOL_DEFAULTS.workerMegabytes[dtype]);
  return Math.max(1, Math.min(cores, POOL_DEFAULTS.maxSize, byMemory));
}

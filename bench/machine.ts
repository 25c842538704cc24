import { arch, cpus, loadavg, platform, totalmem } from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly platform: string;
  readonly node: string;
  /** 1-minute load average when the run started: above the core count, others shared the CPU. */
  readonly loadAverage: number;
  readonly date: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 1e9),
    platform: `${platform()} ${arch()}`,
    node: process.version,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
    date: new Date().toISOString(),
  };
}

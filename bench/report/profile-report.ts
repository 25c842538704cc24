/** Markdown for per-op profiles (bench/profile): where one inference's kernel time goes. */
import type { Machine } from '../machine.js';
import type { OpProfile } from '../profile/op-profile.js';
import { formatMs, markdownTable } from './format.js';

export interface LabelledProfile {
  /** Where it ran, e.g. 'Node wasm (1 thread)' or 'Node webgpu, lavapipe (emulated)'. */
  readonly label: string;
  readonly profile: OpProfile;
}

const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;

function profileSection({ label, profile }: LabelledProfile): string {
  const ops = profile.ops.map((o) => [o.op, String(o.count), formatMs(o.ms), share(o.ms, profile.kernelMs)]);
  const slowest = profile.slowest.map((k) => [k.op, k.inputShapes, k.outputShape, formatMs(k.ms)]);
  return [
    `### ${label}, batch ${profile.batch}`,
    '',
    `${profile.kernels} kernels, ${formatMs(profile.kernelMs)} of kernel time per inference (median of ${profile.rounds} profiled inferences).`,
    ...(profile.adapter ? ['', `Adapter: ${profile.adapter}`] : []),
    '',
    markdownTable(['kernel', 'calls', 'time', 'share'], ops),
    '',
    'Slowest single kernels:',
    '',
    markdownTable(['kernel', 'inputs', 'output', 'time'], slowest),
  ].join('\n');
}

export function profileReport(machine: Machine, profiles: readonly LabelledProfile[]): string {
  return [
    '# Per-op profile',
    '',
    `Measured ${machine.date} on ${machine.cpu}, ${machine.cores} cores (load average ${machine.loadAverage}), Node ${machine.node}.`,
    'tf.profile of warm inferences: wall time per kernel on CPU backends, timestamp queries on WebGPU.',
    'Profiling ends each kernel before the next starts, so these are kernel costs, not the overhead of a normal run.',
    '',
    profiles.map(profileSection).join('\n\n'),
    '',
  ].join('\n');
}

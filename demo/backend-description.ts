import type { BackendName, BackendPreference, BackendReport } from '../src/index.js';

const NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

export function backendName(backend: BackendName): string {
  return NAMES[backend];
}

function threading(report: BackendReport, isolated: boolean): string {
  if (report.backend !== 'wasm') return '';
  if (!isolated) return ', single-threaded because the page is not cross-origin isolated (COOP/COEP)';
  const threads = report.wasmThreads ?? 1;
  return `, ${threads} ${threads === 1 ? 'thread' : 'threads'}`;
}

function notes(report: BackendReport): string {
  return report.notes.map((note) => ` Note: ${note}.`).join('');
}

const formatDrift = (drift: number) => (drift === 0 ? '0' : drift.toExponential(1));

/** " Self-check passed (drift 2.1e-5, tolerance 0.001)." — whether the backend's answers were checked on this device. */
function selfCheck(report: BackendReport): string {
  const check = report.selfCheck;
  if (!check) return '';
  switch (check.status) {
    case 'passed':
      return check.cached ? ' Self-check passed on this device earlier.' : ` Self-check passed (drift ${formatDrift(check.drift ?? 0)}, tolerance ${check.tolerance}).`;
    case 'failed':
      return ' Self-check failed (accepted).';
    case 'unavailable':
      return ' Self-check unavailable: this model was converted without golden outputs.';
  }
}

/** "measured WebGL 61 ms, WASM 38 ms per photo" */
function measured(report: BackendReport): string {
  const times = (report.measurements ?? []).map((m) => `${backendName(m.backend)} ${m.warmMs === undefined ? `not timed (${m.abandoned})` : `${Math.round(m.warmMs)} ms`}`);
  return times.join(', ');
}

/** Why auto chose it: by timing on this device (now, or remembered), or as the first that works. */
function autoReason(report: BackendReport): string {
  const skipped = report.skipped.map((s) => `${backendName(s.backend)} skipped (${s.reason})`);
  if (report.choice === 'measured') return `chosen by auto after timing ${measured(report)} per photo on this device`;
  if (report.choice === 'cached') return `chosen by auto from an earlier timing on this device${report.measurements ? ` (${measured(report)} per photo)` : ''}`;
  const why = skipped.length === 0 ? 'the fastest backend, and it works here' : `the fastest that works here; ${skipped.join('; ')}`;
  return `chosen by auto as ${why}`;
}

/** "Backend: WASM, chosen by auto as the fastest that works here; WebGL skipped (software renderer SwiftShader: slower than WASM). Self-check passed (…)." */
export function describeBackend(report: BackendReport, preference: BackendPreference, isolated: boolean): string {
  const name = `${backendName(report.backend)}${threading(report, isolated)}`;
  const how = preference === 'auto' ? autoReason(report) : 'as you chose';
  return `Backend: ${name}, ${how}.${selfCheck(report)}${notes(report)}`;
}

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

/** "Backend: WASM, chosen by auto as the fastest that works here; WebGL skipped (software renderer SwiftShader: slower than WASM)". */
export function describeBackend(report: BackendReport, preference: BackendPreference, isolated: boolean): string {
  const name = `${backendName(report.backend)}${threading(report, isolated)}`;
  if (preference !== 'auto') return `Backend: ${name}, as you chose.${notes(report)}`;
  const skipped = report.skipped.map((s) => `${backendName(s.backend)} skipped (${s.reason})`);
  const why = skipped.length === 0 ? 'the fastest backend, and it works here' : `the fastest that works here; ${skipped.join('; ')}`;
  return `Backend: ${name}, chosen by auto as ${why}.${notes(report)}`;
}

import { sha256Hex } from '../load/sha256.js';
import { webglRenderer } from './software-gpu.js';
import { adapterName, type AdapterFields } from './webgpu/plan-cache.js';

/** What identifies this device's compute stack: a new browser, GPU or driver reads as another device. */
async function webGpuAdapter(): Promise<string> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return 'no webgpu adapter';
  const info = (adapter as GPUAdapter & { info?: AdapterFields }).info;
  return info ? adapterName(info) : 'webgpu adapter without info';
}

function runtimeName(): string {
  const node = globalThis.process?.versions?.node;
  if (typeof node === 'string') return `node ${node} ${process.platform} ${process.arch}`;
  return globalThis.navigator?.userAgent ?? 'unknown runtime';
}

/**
 * A hash of the browser (its user agent carries the version of its WebGPU and WebGL layers), the
 * WebGPU adapter (vendor, architecture, device, driver description), the WebGL renderer, the core
 * count and cross-origin isolation (which decides WASM threads). A backend choice or a self-check
 * remembered under it is redone when any of these changes.
 */
export async function deviceFingerprint(): Promise<string> {
  const parts = [
    runtimeName(),
    await webGpuAdapter(),
    webglRenderer() ?? 'no webgl',
    `cores ${globalThis.navigator?.hardwareConcurrency ?? 'unknown'}`,
    `isolated ${String(globalThis.crossOriginIsolated ?? false)}`,
  ];
  return (await sha256Hex(new TextEncoder().encode(parts.join('\n')))).slice(0, 32);
}

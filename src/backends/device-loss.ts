import * as tf from '@tensorflow/tfjs-core';
import { AUTO_BACKEND_ORDER, type BackendName, type BackendPreference } from '../options.js';

interface WebGpuBackendLike {
  device?: GPUDevice;
}

interface WebGlBackendLike {
  gpgpu?: { gl?: WebGLRenderingContext };
}

/** WebGPU and WebGL can lose their device (driver reset, GPU process crash); CPU and WASM cannot. */
export function canLoseDevice(backend: BackendName): boolean {
  return backend === 'webgpu' || backend === 'webgl';
}

/**
 * Calls `onLost` once if the active GPU backend loses its device: WebGPU's `device.lost`, or
 * WebGL's `webglcontextlost` event. CPU and WASM cannot lose a device.
 */
export function watchDeviceLoss(backend: BackendName, onLost: (reason: string) => void): void {
  const instance = tf.backend() as WebGpuBackendLike & WebGlBackendLike;
  if (backend === 'webgpu' && instance.device) {
    void instance.device.lost.then((info) => onLost(`WebGPU device lost: ${info.reason} ${info.message}`.trim()));
  }
  const canvas = backend === 'webgl' ? instance.gpgpu?.gl?.canvas : undefined;
  if (canvas && 'addEventListener' in canvas) {
    canvas.addEventListener('webglcontextlost', () => onLost('WebGL context lost'), { once: true });
  }
}

/**
 * Drops the broken backend instance but keeps its factory registered, so the next
 * tf.setBackend() builds a fresh one on a new device / context.
 */
export function resetBackend(name: BackendName): void {
  const factory = tf.findBackendFactory(name);
  const instance = tf.engine().registry[name];
  if (instance) {
    try {
      instance.dispose();
    } catch {
      // Disposing a backend whose device is gone, or whose WASM heap trapped, may throw; it is
      // being replaced anyway, and removeBackend must not stop half-way on a second throw.
    }
    instance.dispose = () => undefined;
  }
  try {
    tf.removeBackend(name);
  } catch {
    // Not registered: nothing to remove.
  }
  if (factory) tf.registerBackend(name, factory);
}

/** After losing `lost`: retry it, then (for 'auto' only) the backends after it in the chain. */
export function recoveryCandidates(lost: BackendName, preference: BackendPreference): BackendName[] {
  if (preference !== 'auto') return [lost];
  return AUTO_BACKEND_ORDER.slice(AUTO_BACKEND_ORDER.indexOf(lost));
}

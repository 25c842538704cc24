import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ENABLE_F16, SHADER_F16 } from './implicit-gemm-program.js';

/** WGSL allows `enable` only before every declaration: our f16 programs' directive, moved to the front. */
export function hoistEnableF16(code: string): string {
  const at = code.indexOf(ENABLE_F16);
  if (at <= 0) return code;
  return `${ENABLE_F16}\n${code.slice(0, at)}${code.slice(at + ENABLE_F16.length)}`;
}

/**
 * TF.js 4.22's own factory (tfjs-backend-webgpu's base.ts), with 'shader-f16' among the required
 * features: TF.js never asks for it, and a device gets only the features it asked for. Its shader
 * modules get the f16 directive hoisted (see hoistEnableF16).
 */
async function createShaderF16Backend(): Promise<WebGPUBackend> {
  const powerPreference = tf.env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  const adapter = await navigator.gpu.requestAdapter({ powerPreference });
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null: no usable GPU adapter');
  const wanted: GPUFeatureName[] = ['timestamp-query', 'bgra8unorm-storage' as GPUFeatureName, SHADER_F16];
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: wanted.filter((feature) => adapter.features.has(feature)),
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  const createShaderModule = device.createShaderModule.bind(device);
  device.createShaderModule = (descriptor) => createShaderModule({ ...descriptor, code: hoistEnableF16(descriptor.code) });
  return new WebGPUBackend(device, (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info);
}

/**
 * Makes TF.js's 'webgpu' backend start on a device with shader-f16, where `adapter` offers it.
 * Only before the backend first starts: a running backend keeps its device (an earlier load in
 * this page made it), and the plan then reports f16 as unavailable.
 */
export function requestShaderF16(adapter: GPUAdapter): void {
  if (!adapter.features.has(SHADER_F16) || tf.engine().registry['webgpu'] !== undefined) return;
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', createShaderF16Backend, 3);
}

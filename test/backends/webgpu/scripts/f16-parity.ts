/**
 * Run in a process whose environment points Dawn at an adapter with 'shader-f16' (lavapipe here):
 * on the device the SDK makes for webgpuShaderF16, every conv case below through our f32 kernel
 * (its default configuration) and through each f16 configuration the autotuner could pick,
 * printing one JSON line per run: the largest |f16 − f32|, the largest |f32|, and leaked tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { installNodeWebGpu } from '../../../../src/node/install-webgpu.js';
import { registerBackend } from '../../../../src/backends/register-backend.js';
import { candidates, defaultConfig } from '../../../../src/backends/webgpu/candidates.js';
import { installConvKernels, routing } from '../../../../src/backends/webgpu/conv-kernels.js';
import { SHADER_F16 } from '../../../../src/backends/webgpu/implicit-gemm-program.js';
import { choiceName, isF16, type KernelChoice } from '../../../../src/backends/webgpu/kernel-config.js';
import { caseShape, compareConv, type ConvCase } from './conv-case.js';

/** Inception's kinds of conv, and the scalar (channels not multiples of 4) and long-K paths. */
const CASES: readonly ConvCase[] = [
  { name: 'first conv: 3×3 stride 2 valid, 3 channels', x: [1, 37, 37, 3], filter: [3, 3, 3, 32], strides: 2, pad: 'valid' },
  { name: '1×1 35×35×192 → 64', x: [1, 35, 35, 192], filter: [1, 1, 192, 64], strides: 1, pad: 'valid' },
  { name: '3×3 same 15×15×32 → 64', x: [1, 15, 15, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'same' },
  { name: '1×7 same 17×17×128 → 192', x: [1, 17, 17, 128], filter: [1, 7, 128, 192], strides: 1, pad: 'same' },
  { name: '1×1 8×8×2048 → 448 (long K, split-K)', x: [1, 8, 8, 2048], filter: [1, 1, 2048, 448], strides: 1, pad: 'valid' },
  { name: '3×3 stride 2 same, 5 → 6 channels (scalars)', x: [1, 11, 10, 5], filter: [3, 3, 5, 6], strides: 2, pad: 'same' },
];

await installNodeWebGpu();
await registerBackend('webgpu', { webgpuShaderF16: true });
if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU failed to initialise');
if (!(tf.backend() as WebGPUBackend).device.features.has(SHADER_F16)) throw new Error("the device has no 'shader-f16'");
installConvKernels();
for (const c of CASES) {
  const [x, filter, bias] = [tf.randomUniform(c.x, -1, 1), tf.randomUniform(c.filter, -0.2, 0.2), tf.randomUniform([c.filter[3]], -0.5, 0.5)] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
  const conv = () => tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad, bias, activation: 'relu' });
  const { shape, key } = caseShape(c);
  routing.choices.set(key, defaultConfig(shape));
  const f32 = conv();
  const f16s: KernelChoice[] = [defaultConfig(shape, true), ...candidates(shape, true).filter(isF16)];
  for (const choice of new Map(f16s.map((choice) => [choiceName(choice), choice])).values()) {
    routing.choices.set(key, choice);
    console.log(JSON.stringify({ case: c.name, choice: choiceName(choice), ...(await compareConv(conv, f32)) }));
  }
  routing.choices.delete(key);
  tf.dispose([f32, x, filter, bias]);
}
process.exit(0);

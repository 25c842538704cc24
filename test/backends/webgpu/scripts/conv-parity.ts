/**
 * Run in a process whose environment points Dawn at an adapter (lavapipe here): every conv case
 * below through TF.js's stock WebGPU kernel and through ours with each configuration the
 * autotuner could pick (plus a few forced ones), printing one JSON line per run: the largest
 * |ours − stock|, the largest |stock|, and whether tensors leaked.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../../../tools/models/tf-node.js';
import { candidates, defaultConfig } from '../../../../src/backends/webgpu/candidates.js';
import { installConvKernels, routing } from '../../../../src/backends/webgpu/conv-kernels.js';
import { choiceName, gemm, STOCK, type KernelChoice } from '../../../../src/backends/webgpu/kernel-config.js';
import { caseShape, compareConv, type ConvCase } from './conv-case.js';

interface Case extends ConvCase {
  /** Plain Conv2D (no bias, no activation), as the pool branches' 1×1 convs. */
  readonly plain?: boolean;
  readonly extra?: readonly KernelChoice[];
}

const CASES: readonly Case[] = [
  { name: '1×1 valid (stock: matmul)', x: [1, 35, 35, 192], filter: [1, 1, 192, 64], strides: 1, pad: 'valid' },
  { name: 'first conv: 3×3 stride 2 valid, 3 channels', x: [1, 37, 37, 3], filter: [3, 3, 3, 32], strides: 2, pad: 'valid' },
  { name: '3×3 same', x: [1, 15, 15, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'same' },
  { name: '1×7 same', x: [1, 17, 17, 128], filter: [1, 7, 128, 192], strides: 1, pad: 'same' },
  { name: '7×1 same', x: [1, 17, 17, 160], filter: [7, 1, 160, 160], strides: 1, pad: 'same' },
  { name: '3×3 stride 2 same, odd sizes, channels not multiples of 4', x: [1, 11, 10, 5], filter: [3, 3, 5, 6], strides: 2, pad: 'same', extra: [gemm(3, 2, 2)] },
  { name: 'split-K with uneven slices, 130 → 66 channels', x: [1, 8, 8, 130], filter: [1, 1, 130, 66], strides: 1, pad: 'valid', extra: [gemm(4, 1, 4), gemm(8, 2, 3)] },
  { name: '8×8 batch 2, 1×1 (split-K)', x: [2, 8, 8, 1280], filter: [1, 1, 1280, 320], strides: 1, pad: 'valid', extra: [gemm(4, 1, 4)] },
  { name: 'plain Conv2D 1×1 (pool branch)', x: [1, 35, 35, 64], filter: [1, 1, 64, 32], strides: 1, pad: 'valid', plain: true, extra: [gemm(4, 1, 2)] },
];

function conv(c: Case, operands: readonly tf.Tensor[]): tf.Tensor {
  const [x, filter, bias] = operands as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
  if (c.plain) return tf.conv2d(x, filter, c.strides, c.pad);
  return tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad, bias, activation: 'relu' });
}

await useBackend('webgpu');
installConvKernels();
for (const c of CASES) {
  const operands = [tf.randomUniform(c.x, -1, 1), tf.randomUniform(c.filter, -0.2, 0.2), tf.randomUniform([c.filter[3]], -0.5, 0.5)];
  const { shape, key } = caseShape(c);
  routing.choices.set(key, STOCK);
  const stock = conv(c, operands);
  const all = [defaultConfig(shape), ...candidates(shape).filter((choice) => choice.kind !== 'stock'), ...(c.extra ?? [])];
  for (const choice of new Map(all.map((choice) => [choiceName(choice), choice])).values()) {
    routing.choices.set(key, choice);
    console.log(JSON.stringify({ case: c.name, choice: choiceName(choice), ...(await compareConv(() => conv(c, operands), stock)) }));
  }
  tf.dispose([stock, ...operands]);
}
process.exit(0);

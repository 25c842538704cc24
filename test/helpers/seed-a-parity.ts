/** seedA through a converted model in this process, compared with PyTorch's logits. */
import type { Tensor } from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { seedAImages, seedALogits } from '../../tools/reference/seed-a.js';
import { loadModelDir, useBackend } from '../../tools/models/tf-node.js';
import { runCli } from './run-cli.js';

/** Logits of the first `count` seedA images through a converted model on `backend`. */
export async function runSeedA(dir: string, backend: 'cpu' | 'wasm', count: number): Promise<Float32Array> {
  const tf = await useBackend(backend);
  const model = await loadModelDir(dir);
  const { data, shape } = seedAImages(count);
  const input = tf.tensor4d(data, shape);
  const logits = model.execute(input, 'logits') as Tensor;
  const values = (await logits.data()) as Float32Array;
  tf.dispose([input, logits]);
  model.dispose();
  return values;
}

/** Asserts the worst |Δlogit| over `count` images is within `tolerance`, and returns it. */
export function expectParity(values: Float32Array, count: number, tolerance: number): number {
  let worst = 0;
  for (let i = 0; i < count; i++) {
    const got = values.subarray(i * 1000, (i + 1) * 1000);
    worst = Math.max(worst, maxAbsDiff(got, seedALogits(i)));
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
  return worst;
}

/** Logits of `image` through the CLI on Node WebGPU (a child process, so it gets lavapipe's `env`). */
export async function webgpuCliLogits(image: string, model: string, preprocess: string, env: Record<string, string>): Promise<number[]> {
  const args = ['classify', image, '--model', model, '--backend', 'webgpu', '--preprocess', preprocess, '--logits', '--json'];
  const { code, stdout, stderr } = await runCli(args, env);
  // The CLI also has to exit by itself: Dawn would keep Node's event loop alive.
  expect(code, stderr).toBe(0);
  const [entry] = JSON.parse(stdout) as { logits: number[] }[];
  return entry?.logits ?? [];
}

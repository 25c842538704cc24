/**
 * The WebGPU programs TF.js really runs for one inference of a converted model, counted at the
 * backend's `runWebGPUProgram` (every compute dispatch goes through it), in its own process:
 *   node --import tsx bench/graph/count-dispatches.ts <model dir>
 * needs an adapter (lavapipe's env here). Prints `{"dispatches": N}` on its last stdout line.
 * It checks graph-cost.ts's stock model against TF.js.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadModelDir, useBackend } from '../../tools/models/tf-node.js';

interface ProgramRunner {
  runWebGPUProgram(...args: unknown[]): unknown;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: count-dispatches.ts <model dir>');
  process.exit(2);
}
await useBackend('webgpu');
const model = await loadModelDir(dir);
const input = tf.zeros([1, 299, 299, 3]);
// One inference first, so that weight uploads and one-off programs are not counted.
tf.dispose(model.execute(input, 'logits'));
const backend = tf.backend() as unknown as ProgramRunner;
const run = backend.runWebGPUProgram.bind(backend);
let dispatches = 0;
backend.runWebGPUProgram = (...args: unknown[]) => {
  dispatches++;
  return run(...args);
};
const logits = model.execute(input, 'logits') as tf.Tensor;
await logits.data();
process.stdout.write(`\n${JSON.stringify({ dispatches })}\n`);
process.exit(0);

/**
 * The WebGPU programs TF.js really runs for one inference of a converted model, counted at the
 * backend's `runWebGPUProgram` (every compute dispatch goes through it), in its own process:
 *   node --import tsx bench/graph/count-dispatches.ts <model dir> [stock|ours]
 * needs an adapter (lavapipe's env here). Prints `{"dispatches": N}` on its last stdout line.
 * 'stock' (the default) checks graph-cost.ts's stock model against TF.js; 'ours' counts what the
 * SDK runs with its WebGPU kernels: the load-time rewrite (sibling 1×1 convs fused, channel parts), our convs (default configurations,
 * so no split-K reduce) and our Mean.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { loadForOurKernels } from '../../src/backends/webgpu/channel-parts-graph.js';
import { readModelArtifacts, resolveModelJson } from '../../tools/models/model-file-handler.js';
import { countPrograms, useOurKernels } from '../../tools/gpu/webgpu-programs.js';
import { loadModelDir, useBackend } from '../../tools/models/tf-node.js';

const [dir, kernels = 'stock'] = process.argv.slice(2);
if (!dir || (kernels !== 'stock' && kernels !== 'ours')) {
  console.error('usage: count-dispatches.ts <model dir> [stock|ours]');
  process.exit(2);
}
await useBackend('webgpu');

/** The model as the SDK runs it with our kernels. */
async function withOurKernels(modelDir: string): Promise<GraphModel> {
  useOurKernels();
  return loadForOurKernels(await readModelArtifacts(await resolveModelJson(modelDir)));
}

const model = kernels === 'ours' ? await withOurKernels(dir) : await loadModelDir(dir);
const input = tf.zeros([1, 299, 299, 3]);
// One inference first, so that weight uploads and one-off programs are not counted.
tf.dispose(model.execute(input, 'logits'));
const { programs: dispatches } = await countPrograms(async () => {
  const logits = model.execute(input, 'logits') as tf.Tensor;
  await logits.data();
});
process.stdout.write(`\n${JSON.stringify({ dispatches })}\n`);
process.exit(0);

/**
 * Our WebGPU conv kernels against TF.js's on the whole model, in one Node process:
 *   eval "$(bash scripts/setup-lavapipe.sh)"   # or a real GPU
 *   npx tsx bench/profile/webgpu-kernels.ts [modelDir or ""] [rounds] [budgetMs]
 * Tunes a plan for every conv shape the model runs, plain and as the SDK loads it on WebGPU
 * (the autotuner's own per-shape timings are the per-op profile), then times full inferences
 * (batch 1, execute + readback) interleaved round by round: stock TF.js, ours with the tuned
 * plan, ours everywhere with default configs (all three on the plain graph), and ours with the
 * tuned plan on the graph rewritten at load (loadForOurKernels), which is what 'tuned' runs.
 * Prints markdown for docs/benchmarks.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { autotune } from '../../src/backends/webgpu/autotune.js';
import { clearRoutes, installConvKernels, recordConvs, routeShapes, routing } from '../../src/backends/webgpu/conv-kernels.js';
import { choiceName } from '../../src/backends/webgpu/kernel-config.js';
import { loadForOurKernels } from '../../src/backends/webgpu/channel-parts-graph.js';
import { installChannelPartsKernel } from '../../src/backends/webgpu/channel-parts-kernel.js';
import { readModelArtifacts, resolveModelJson } from '../../tools/models/model-file-handler.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { useBackend } from '../../tools/models/tf-node.js';
import { median, pairedRatio } from '../stats.js';
import { latencyMs } from './model-latency.js';

const [dirArg, roundsArg, budgetArg] = process.argv.slice(2);
await useBackend('webgpu');
const artifacts = await readModelArtifacts(await resolveModelJson(dirArg || (await syntheticModelDir('float32'))));
const model = await loadGraphModel(tf.io.fromMemory(artifacts));
installConvKernels();
installChannelPartsKernel();
const rewritten = await loadForOurKernels(artifacts);
const input = tf.randomUniform([1, 299, 299, 3], 0, 255);
const convs = await recordConvs(async () => void (await latencyMs(model, input)));
for (const [key, conv] of await recordConvs(async () => void (await latencyMs(rewritten, input)))) convs.set(key, conv);
const tuned = await autotune(convs, Number(budgetArg ?? Infinity));
const useTuned = () => {
  clearRoutes();
  routeShapes(tuned.choices);
};

const forms: Record<string, { readonly use: () => void; readonly model: GraphModel }> = {
  stock: { use: clearRoutes, model },
  tuned: { use: useTuned, model },
  'ours (default configs)': {
    use: () => {
      clearRoutes();
      routing.unplanned = 'f32';
    },
    model,
  },
  'tuned, graph rewritten at load (as the SDK runs it)': { use: useTuned, model: rewritten },
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(forms).map((name) => [name, []]));
for (const form of Object.values(forms)) {
  form.use();
  await latencyMs(form.model, input); // shaders
}
for (let round = 0; round < Number(roundsArg ?? 3); round++) {
  // Rotate who goes first, so no form always runs on a warmer cache.
  const names = Object.keys(forms);
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
    const form = forms[name] as (typeof forms)[string];
    form.use();
    times[name]?.push(await latencyMs(form.model, input));
  }
}

const stock = times.stock ?? [];
console.log(`## WebGPU conv kernels: ours vs TF.js stock (${tf.version_core}), batch 1\n`);
console.log(`Tuning: ${(tuned.tuningMs / 1000).toFixed(1)} s for ${convs.size} conv shapes${tuned.complete ? '' : ' (budget ran out)'}.\n`);
console.log('| inference | median ms | / stock (paired) |\n|---|---|---|');
for (const [name, list] of Object.entries(times)) console.log(`| ${name} | ${median(list).toFixed(0)} | ${pairedRatio(list, stock).toFixed(2)}× |`);
console.log('\n| conv shape | stock ms | chosen | chosen ms | fastest of ours | ms |\n|---|---|---|---|---|---|');
for (const [key, timing] of Object.entries(tuned.timings)) {
  const chosen = tuned.choices[key];
  const [bestOurs, bestOursMs] = Object.entries(timing).filter(([name]) => name !== 'stock').sort((a, b) => a[1] - b[1])[0] ?? ['-', NaN];
  const chosenName = chosen ? choiceName(chosen) : 'stock';
  console.log(`| ${key} | ${timing.stock?.toFixed(1)} | ${chosenName} | ${timing[chosenName]?.toFixed(1)} | ${bestOurs} | ${bestOursMs.toFixed(1)} |`);
}
process.exit(0);

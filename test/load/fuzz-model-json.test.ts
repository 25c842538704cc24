import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { io, type Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fnv1a32 } from '../../converter/synthetic/hash-prng.js';
import { isInceptionError } from '../../shared/errors.js';
import { parseModelJson } from '../../src/load/model-json.js';
import { seededRandom } from '../../src/tagger/seeded-random.js';
import { mutateJson } from '../helpers/mutate-json.js';
import { fuzzSettings } from '../helpers/mutate-bytes.js';
import { useBackend } from '../../tools/models/tf-node.js';
import { fakeModel, WEIGHT_COUNT } from '../../tools/models/fake-model.js';

/**
 * Seeded structural fuzzing of model.json: one to three random fields of a valid file set to a
 * boundary value, removed, or given the wrong type. The property: parseModelJson refuses it with an
 * InceptionError, or accepts it and TF.js then loads and runs the graph; never an untyped error,
 * never more than CASE_MS. FUZZ_ITERATIONS / FUZZ_SEED run it longer (see fuzz-readers.test.ts).
 */
const { iterations, seed } = fuzzSettings(1500);
const CASE_MS = 2000;
const url = 'https://models.example/model.json';

let tf: Awaited<ReturnType<typeof useBackend>>;
beforeAll(async () => {
  tf = await useBackend('cpu');
});

/**
 * Loads and runs an accepted model.json as the classifier would, feeding an input of the shape
 * it declares (the fake graph is y = x + w: any shape that broadcasts gives WEIGHT_COUNT values).
 */
async function runAccepted(text: string, weightData: ArrayBuffer[]): Promise<string | undefined> {
  const { modelJson, metadata } = parseModelJson(text, url);
  const artifacts = await io.getModelArtifactsForJSON(modelJson, async (manifest) => [io.getWeightSpecs(manifest), weightData]);
  const graph = await loadGraphModel(io.fromMemory(artifacts));
  const shape = graph.inputs[0]?.shape?.map((size) => (size === -1 ? 1 : size)) ?? [];
  if (shape.reduce((a, b) => a * b, 1) > 1 && shape.at(-1) !== WEIGHT_COUNT) return undefined; // does not broadcast: not a loader question
  const y = graph.execute({ [metadata.input.name]: tf.zeros(shape) }, metadata.outputs.logits) as Tensor;
  const length = y.size;
  tf.dispose(y);
  graph.dispose();
  return length === WEIGHT_COUNT ? undefined : `ran, but returned ${length} values`;
}

describe('fuzzing model.json', () => {
  it(`${iterations} seeded mutations: each refused with a typed error or loaded and run`, async () => {
    const model = fakeModel();
    const weightData = [...model.shards.values()].map((shard) => Uint8Array.from(shard).buffer);
    const random = seededRandom(seed ^ fnv1a32('model.json'));
    const failures: string[] = [];
    for (let i = 0; i < iterations; i++) {
      let json: unknown = model.modelJson;
      const changes: string[] = [];
      for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
        const mutated = mutateJson(json, random);
        json = mutated.json;
        changes.push(mutated.change);
      }
      const change = changes.join('; ');
      const start = performance.now();
      let problem: string | undefined;
      try {
        problem = await runAccepted(JSON.stringify(json), weightData);
      } catch (error) {
        if (!isInceptionError(error)) problem = `untyped ${String(error).slice(0, 200)}`;
      }
      if (!problem && performance.now() - start > CASE_MS) problem = `took ${Math.round(performance.now() - start)} ms`;
      if (problem) failures.push(`mutation ${i} (${change}): ${problem}`);
    }
    expect(failures).toEqual([]);
  });
});

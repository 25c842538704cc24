/**
 * The load-time fusion of sibling 1×1 convs (fuse-sibling-heads.ts), on any backend (wasm here):
 * its heads carry the converter's fused weights bit for bit, every weight dtype loads to the same
 * logits, the members' weights are let go once loaded, and a group it cannot name stays as is.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadForOurKernels } from '../../../src/backends/webgpu/channel-parts-graph.js';
import { fuseSiblingHeads } from '../../../src/backends/webgpu/fuse-sibling-heads.js';
import { GraphConsts } from '../../../src/backends/webgpu/graph-consts.js';
import type { NodeJson } from '../../../src/backends/webgpu/graph-json.js';
import { readModelArtifacts, resolveModelJson } from '../../../tools/models/model-file-handler.js';
import { syntheticFusedModelDir, syntheticModelDir } from '../../../tools/models/synthetic-model.js';
import { useBackend } from '../../../tools/models/tf-node.js';

const BLOCKS = ['Mixed_5b', 'Mixed_5c', 'Mixed_5d', 'Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e', 'Mixed_7a', 'Mixed_7b', 'Mixed_7c'];

const artifactsOf = async (dir: string) => readModelArtifacts(await resolveModelJson(dir));
const nodesOf = (artifacts: tf.io.ModelArtifacts) => (artifacts.modelTopology as { node: NodeJson[] }).node;

beforeAll(async () => {
  await useBackend('wasm');
});

describe('fusing sibling 1×1 convs at load', () => {
  it("makes each block's head with the converter's fused weights, bit for bit", async () => {
    const plain = await artifactsOf(await syntheticModelDir('float32'));
    const converted = await artifactsOf(await syntheticFusedModelDir());
    const fused = fuseSiblingHeads(nodesOf(plain), plain, new GraphConsts(plain));
    const heads = fused.nodes.filter((node) => node.name.endsWith('/fused_1x1'));
    expect(heads.map((node) => node.name)).toEqual(BLOCKS.map((block) => `${block}/fused_1x1`));
    const [ours, theirs] = [new GraphConsts(fused.artifacts), new GraphConsts(converted)];
    for (const head of heads) {
      const weights = (head.input ?? []).slice(1);
      expect(weights.length, head.name).toBeGreaterThanOrEqual(2);
      for (const name of weights) {
        const [a, b] = [ours.floats(name), theirs.floats(name)];
        expect(a?.length, name).toBe(b?.length);
        expect(a?.every((value, i) => Object.is(value, b?.[i])), name).toBe(true);
      }
    }
  });

  it('loads every weight dtype to the logits of the plain graph, and lets the members\u2019 weights go', async () => {
    for (const dtype of ['float32', 'float16', 'uint8'] as const) {
      const artifacts = await artifactsOf(await syntheticModelDir(dtype));
      const plain = await loadGraphModel(tf.io.fromMemory(artifacts));
      const before = tf.memory().numTensors;
      const model = await loadForOurKernels(artifacts);
      const held = Object.values(model.weights).flat().length;
      // Every tensor the load made is a weight the model still holds: the members' were disposed.
      expect(tf.memory().numTensors - before, dtype).toBe(held);
      expect(Object.keys(model.weights), dtype).not.toContain('Mixed_5b/branch1x1/kernel');
      expect(Object.keys(model.weights), dtype).toContain('Mixed_5b/fused_1x1/kernel');
      const image = tf.randomUniform([1, 299, 299, 3], 0, 255, 'float32', 11);
      const [a, b] = [plain, model].map((m) => m.execute(image, 'logits') as tf.Tensor);
      const gap = tf.max(tf.abs(tf.sub(a as tf.Tensor, b as tf.Tensor)));
      expect((await gap.data())[0], dtype).toBe(0);
      tf.dispose([image, a as tf.Tensor, b as tf.Tensor, gap]);
      plain.dispose();
      model.dispose();
    }
  }, 180_000);

  it('leaves a group alone when its head would take a name the graph already has', async () => {
    const plain = await artifactsOf(await syntheticModelDir('float32'));
    const squatter: NodeJson = { name: 'Mixed_5b/fused_1x1', op: 'Identity', input: ['stem/6/max_pool'] };
    const nodes = [...nodesOf(plain), squatter];
    const fused = fuseSiblingHeads(nodes, plain, new GraphConsts(plain));
    expect(fused.nodes.find((node) => node.name === 'Mixed_5b/branch1x1')?.op).toBe('_FusedConv2D');
    expect(fused.nodes.find((node) => node.name === 'Mixed_5c/branch1x1')?.op).toBe('Slice');
    expect(fused.unreadWeights).not.toContain('Mixed_5b/branch1x1/kernel');
  });
});

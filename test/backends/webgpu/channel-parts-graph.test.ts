/**
 * The load-time rewrite for our WebGPU kernels (channel-parts-graph.ts), checked on any backend:
 * which nodes it replaces on the fused graph, that it turns the default graph into the same
 * shape (its sibling 1×1 convs fused), and that the rewritten graph computes exactly what the
 * plain one does (here on wasm, where the custom op runs TF.js's own ops; the WebGPU kernel is
 * checked against the same ops in channel-parts.slow.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { beforeAll, describe, expect, it } from 'vitest';
import { rewriteForChannelParts } from '../../../src/backends/webgpu/channel-parts-graph.js';
import { CHANNEL_PARTS_OP, parseParts } from '../../../src/backends/webgpu/channel-parts.js';
import { readModelArtifacts, resolveModelJson } from '../../../tools/models/model-file-handler.js';
import { syntheticFusedModelDir, syntheticModelDir } from '../../../tools/models/synthetic-model.js';
import { useBackend } from '../../../tools/models/tf-node.js';

interface NodeJson {
  readonly name: string;
  readonly op: string;
  readonly input?: string[];
  readonly attr?: { parts?: { s: string } };
}

const nodesOf = (artifacts: tf.io.ModelArtifacts) => (artifacts.modelTopology as { node: NodeJson[] }).node;
const opCount = (artifacts: tf.io.ModelArtifacts, op: string) => nodesOf(artifacts).filter((node) => node.op === op).length;

async function artifactsOf(dir: string): Promise<tf.io.ModelArtifacts> {
  return readModelArtifacts(await resolveModelJson(dir));
}

/** Largest |plain − rewritten| over logits and embedding, on one random image. */
async function gap(plain: tf.io.ModelArtifacts, rewritten: tf.io.ModelArtifacts): Promise<number> {
  const [a, b] = await Promise.all([plain, rewritten].map((artifacts) => loadGraphModel(tf.io.fromMemory(artifacts))));
  const image = tf.randomUniform([1, 299, 299, 3], 0, 255, 'float32', 7);
  const outputs = [a, b].map((model) => model?.execute(image, ['logits', 'embedding']) as tf.Tensor[]);
  const gaps = outputs[0]!.map((output, i) => tf.max(tf.abs(tf.sub(output, outputs[1]![i]!))));
  const worst = Math.max(...(await Promise.all(gaps.map((t) => t.data()))).map((d) => d[0] ?? Number.NaN));
  tf.dispose([image, ...outputs.flat(), ...gaps]);
  return worst;
}

beforeAll(async () => {
  await useBackend('wasm');
});

/** How many nodes of each op, sorted: the shape of a graph at a glance. */
const opCounts = (artifacts: tf.io.ModelArtifacts) => {
  const counts = new Map<string, number>();
  for (const node of nodesOf(artifacts)) counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
};

describe('the channel-parts rewrite', () => {
  it('leaves no Slice and no concat in the fused graph: convs read their channel ranges', async () => {
    const plain = await artifactsOf(await syntheticFusedModelDir());
    const { artifacts: rewritten, unreadWeights } = rewriteForChannelParts(plain);
    expect(opCount(plain, 'Slice')).toBe(38);
    expect([opCount(rewritten, 'Slice'), opCount(rewritten, 'ConcatV2')]).toEqual([0, 0]);
    // 11 concats, the 14 convs that read a fused head's range without ending in a concat, the
    // first two convs and Mixed_5b's head, which max-pools the stem's output as it reads it.
    expect(opCount(rewritten, CHANNEL_PARTS_OP)).toBe(28);
    expect([opCount(rewritten, 'MaxPool'), opCount(rewritten, 'Mul'), opCount(rewritten, 'AddV2')]).toEqual([0, 0, 0]);
    // The converter fused the heads already: nothing is left to fuse at load.
    expect(unreadWeights).toEqual([]);
    // The branch1x1 range is copied; its pool member's average reads the head's range (the
    // kernel runs both in one dispatch).
    const mixed5b = parseParts(atob(nodesOf(rewritten).find((node) => node.name === 'Mixed_5b')?.attr?.parts?.s ?? ''));
    expect(mixed5b.map((part) => part.kind)).toEqual(['copy', 'conv', 'conv', 'depthwise']);
    expect(mixed5b[3]).toMatchObject({ kind: 'depthwise', begin: 176, count: 32 });
    const ranged = nodesOf(rewritten).find((node) => node.name === 'Mixed_5b/branch3x3dbl_2');
    expect(ranged?.op).toBe(CHANNEL_PARTS_OP);
    expect(parseParts(atob(ranged?.attr?.parts?.s ?? ''))).toMatchObject([{ kind: 'conv', begin: 112, count: 64 }]);
    expect(await gap(plain, rewritten)).toBe(0);
  }, 120_000);

  it('fuses the default graph\'s sibling 1×1 convs at load, into the fused graph\'s shape, and computes exactly the same', async () => {
    const plain = await artifactsOf(await syntheticModelDir('float32'));
    const { artifacts: rewritten, unreadWeights } = rewriteForChannelParts(plain);
    const fused = rewriteForChannelParts(await artifactsOf(await syntheticFusedModelDir())).artifacts;
    expect(opCounts(rewritten)).toEqual(opCounts(fused));
    expect(nodesOf(rewritten).map((node) => node.name).sort()).toEqual(nodesOf(fused).map((node) => node.name).sort());
    // The 38 members' filters, and the biases of the 29 with a ReLU (the 9 pool-branch convs have none).
    expect(unreadWeights).toHaveLength(38 + 29);
    expect(await gap(plain, rewritten)).toBe(0);
  }, 120_000);

  it('leaves a concat alone when a branch output is read elsewhere too', async () => {
    const plain = await artifactsOf(await syntheticModelDir('float32'));
    const nodes = nodesOf(plain);
    // A second reader of Mixed_5b's first branch: that conv must stay a tensor of its own.
    const extra: NodeJson = { name: 'probe/extra', op: 'Mul', input: ['Mixed_5b/branch1x1', 'Mixed_5b/branch1x1'] };
    const edited = { ...plain, modelTopology: { ...(plain.modelTopology as object), node: [...nodes, extra] } };
    const { artifacts: rewritten } = rewriteForChannelParts(edited);
    expect(nodesOf(rewritten).find((node) => node.name === 'Mixed_5b')?.op).toBe('ConcatV2');
    expect(nodesOf(rewritten).find((node) => node.name === 'Mixed_5c')?.op).toBe(CHANNEL_PARTS_OP);
  });
});

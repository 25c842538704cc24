/**
 * The load-time rewrite for our WebGPU kernels (channel-parts-graph.ts), checked on any backend:
 * which nodes it replaces on the default and the fused graph, and that the rewritten graph
 * computes exactly what the plain one does (here on wasm, where the custom op runs TF.js's own
 * ops; the WebGPU kernel is checked against the same ops in channel-parts.slow.test.ts).
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

describe('the channel-parts rewrite', () => {
  it('turns every concat of the default graph into a parts node, and computes exactly the same', async () => {
    const plain = await artifactsOf(await syntheticModelDir('float32'));
    const rewritten = rewriteForChannelParts(plain);
    expect(opCount(plain, 'ConcatV2')).toBe(11);
    expect(opCount(rewritten, 'ConcatV2')).toBe(0);
    // 11 concats, the first conv (which normalises its input) and Conv2d_3b (which max-pools its input).
    expect(opCount(rewritten, CHANNEL_PARTS_OP)).toBe(13);
    // The branches' last convs and the first two became parts; the pool branches' 1×1 convs and
    // averages became one conv each; so did Mixed_6a/7a's and the stem's first max pools; no Mul or Add is left.
    expect(opCount(plain, '_FusedConv2D') - opCount(rewritten, '_FusedConv2D')).toBe(37);
    expect([opCount(rewritten, 'Conv2D'), opCount(rewritten, 'FusedDepthwiseConv2dNative')]).toEqual([0, 0]);
    expect(opCount(plain, 'MaxPool') - opCount(rewritten, 'MaxPool')).toBe(3);
    expect([opCount(rewritten, 'Mul'), opCount(rewritten, 'AddV2')]).toEqual([0, 0]);
    const mixed5b = parseParts(atob(nodesOf(rewritten).find((node) => node.name === 'Mixed_5b')?.attr?.parts?.s ?? ''));
    expect(mixed5b.map((part) => part.kind)).toEqual(['conv', 'conv', 'conv', 'conv']);
    expect(mixed5b[3]?.pool).toEqual({ kind: 'avg', window: [3, 3], strides: [1, 1], padding: 'same' });
    expect(await gap(plain, rewritten)).toBe(0);
  }, 120_000);

  it('leaves no Slice and no concat in the fused graph: convs read their channel ranges', async () => {
    const plain = await artifactsOf(await syntheticFusedModelDir());
    const rewritten = rewriteForChannelParts(plain);
    expect(opCount(plain, 'Slice')).toBe(38);
    expect([opCount(rewritten, 'Slice'), opCount(rewritten, 'ConcatV2')]).toEqual([0, 0]);
    // 11 concats, the 14 convs that read a fused head's range without ending in a concat, the
    // first two convs and Mixed_5b's head, which max-pools the stem's output as it reads it.
    expect(opCount(rewritten, CHANNEL_PARTS_OP)).toBe(28);
    expect(opCount(rewritten, 'MaxPool')).toBe(0);
    // The pool branch's 1×1 conv is a member of the head: its average reads the member's range.
    const pool5b = parseParts(atob(nodesOf(rewritten).find((node) => node.name === 'Mixed_5b')?.attr?.parts?.s ?? ''))[3];
    expect(pool5b).toMatchObject({ kind: 'depthwise', begin: 176, count: 32 });
    const ranged = nodesOf(rewritten).find((node) => node.name === 'Mixed_5b/branch3x3dbl_2');
    expect(ranged?.op).toBe(CHANNEL_PARTS_OP);
    expect(parseParts(atob(ranged?.attr?.parts?.s ?? ''))).toMatchObject([{ kind: 'conv', begin: 112, count: 64 }]);
    expect(await gap(plain, rewritten)).toBe(0);
  }, 120_000);

  it('leaves a concat alone when a branch output is read elsewhere too', async () => {
    const plain = await artifactsOf(await syntheticModelDir('float32'));
    const nodes = nodesOf(plain);
    // A second reader of Mixed_5b's first branch: that conv must stay a tensor of its own.
    const extra: NodeJson = { name: 'probe/extra', op: 'Mul', input: ['Mixed_5b/branch1x1', 'Mixed_5b/branch1x1'] };
    const edited = { ...plain, modelTopology: { ...(plain.modelTopology as object), node: [...nodes, extra] } };
    const rewritten = rewriteForChannelParts(edited);
    expect(nodesOf(rewritten).find((node) => node.name === 'Mixed_5b')?.op).toBe('ConcatV2');
    expect(nodesOf(rewritten).find((node) => node.name === 'Mixed_5c')?.op).toBe(CHANNEL_PARTS_OP);
  });
});

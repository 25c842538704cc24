/** The converted graph's structure, metadata and named endpoints, checked through stock TF.js. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../../../shared/package-version.js';
import { syntheticStateDict } from '../../../converter/synthetic/synthetic-state-dict.js';
import type { InceptionModelMetadata } from '../../../shared/model-metadata.js';
import { maxAbsDiff } from '../../../tools/reference/logit-compare.js';
import { ROOT } from '../../../tools/paths.js';
import { seedAImages } from '../../../tools/reference/seed-a.js';
import { syntheticModelDir } from '../../../tools/models/synthetic-model.js';
import { loadModelDir, useBackend } from '../../../tools/models/tf-node.js';

interface ModelJson {
  modelTopology: { node: { name: string; op: string; input?: string[]; attr?: Record<string, { s?: string }> }[] };
  weightsManifest: { paths: string[] }[];
  userDefinedMetadata: { inceptionWebgpu: InceptionModelMetadata };
}

let dir: string;
let modelJson: ModelJson;

beforeAll(async () => {
  dir = await syntheticModelDir('float32');
  modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
});

const opCount = (op: string) => modelJson.modelTopology.node.filter((n) => n.op === op).length;

describe('graph structure', () => {
  it('fuses the 94 conv+BN+ReLU blocks (85 into one _FusedConv2D each, 9 into their pool branch) and has no BatchNorm left', () => {
    expect(opCount('_FusedConv2D')).toBe(85);
    expect(opCount('Conv2D')).toBe(9);
    expect(modelJson.modelTopology.node.some((n) => /BatchNorm/i.test(n.op))).toBe(false);
  });

  it('runs each of the 9 pool branches as a 1×1 conv, then a fused 3×3 depthwise average of 1/9s', () => {
    const nodes = modelJson.modelTopology.node;
    const averages = nodes.filter((n) => n.op === 'FusedDepthwiseConv2dNative');
    expect(averages.map((n) => n.name)).toEqual(expect.arrayContaining(['Mixed_5b/branch_pool', 'Mixed_6e/branch_pool', 'Mixed_7c/branch_pool']));
    expect(averages).toHaveLength(9);
    for (const average of averages) {
      // SAME zero padding over a 3×3 window of 1/9s is PyTorch's count_include_pad=True average.
      expect(Buffer.from(average.attr?.padding?.s ?? '', 'base64').toString()).toBe('SAME');
      const pointwise = nodes.find((n) => n.name === average.input?.[0]);
      expect(pointwise?.op).toBe('Conv2D');
      expect(average.input?.[1]).toMatch(/^const\/average_3x3_\d+$/);
    }
    expect(opCount('AvgPool') + opCount('Pad')).toBe(0);
  });

  it('applies the default passes: one concat per Mixed block (7b/7c flattened), no fused 1×1 convs', () => {
    expect(opCount('ConcatV2')).toBe(11);
    expect(opCount('Slice')).toBe(0);
  });

  it('writes 4 MiB shards whose hashes the metadata records', () => {
    const meta = modelJson.userDefinedMetadata.inceptionWebgpu;
    const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
    expect(paths).toEqual(meta.weights.shards.map((s) => s.path));
    for (const shard of meta.weights.shards.slice(0, -1)) expect(shard.bytes).toBe(4 * 1024 * 1024);
    for (const shard of meta.weights.shards) expect(statSync(join(dir, shard.path)).size).toBe(shard.bytes);
  });
});

describe('metadata', () => {
  it('documents labels, preprocessing, source and converter version', () => {
    const meta = modelJson.userDefinedMetadata.inceptionWebgpu;
    expect(meta.labels).toHaveLength(1000);
    expect(meta.labels[281]).toBe('tabby, tabby cat');
    expect(meta.preprocessing).toEqual({
      resizeShorterSide: 342,
      cropSize: 299,
      interpolation: 'bilinear',
      antialias: true,
      scaling: 'x/127.5-1',
      scalingInGraph: true,
      normalization: { name: 'inception', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    });
    expect(meta.input).toMatchObject({ name: 'pixels', layout: 'NHWC', height: 299, width: 299, valueRange: [0, 255] });
    expect(meta.converterVersion).toBe(PACKAGE_VERSION);
    expect(meta.source.fileName).toBe('synthetic-seedA');
  });

  it('keeps the converter version equal to package.json', () => {
    expect(PACKAGE_VERSION).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  });
});

describe('named endpoints (dynamic batch of 2, wasm backend)', () => {
  it('returns logits, the pooled embedding and the three feature maps with consistent values', async () => {
    const tf = await useBackend('wasm');
    const model = await loadModelDir(dir);
    const { data, shape } = seedAImages(2);
    const input = tf.tensor4d(data, shape);
    const names = ['logits', 'embedding', 'Mixed_5d', 'Mixed_6e', 'Mixed_7c'];
    const outputs = model.execute(input, names) as Tensor[];
    const [logits, embedding, m5d, m6e, m7c] = outputs as [Tensor, Tensor, Tensor, Tensor, Tensor];
    expect(logits.shape).toEqual([2, 1000]);
    expect(embedding.shape).toEqual([2, 2048]);
    expect(m5d.shape).toEqual([2, 35, 35, 288]);
    expect(m6e.shape).toEqual([2, 17, 17, 768]);
    expect(m7c.shape).toEqual([2, 8, 8, 2048]);

    // The embedding is Mixed_7c averaged over its 8×8 positions...
    const pooled = tf.mean(m7c, [1, 2]);
    expect(maxAbsDiff(await pooled.data(), await embedding.data())).toBeLessThan(1e-4);
    // ...and the logits are fc(embedding) with PyTorch's own fc weights.
    const sd = syntheticStateDict();
    const fcW = tf.tensor2d(sd.get('fc.weight')?.data as Float32Array, [1000, 2048]);
    const fcB = tf.tensor1d(sd.get('fc.bias')?.data as Float32Array);
    const expected = tf.add(tf.matMul(embedding, fcW, false, true), fcB);
    expect(maxAbsDiff(await expected.data(), await logits.data())).toBeLessThan(1e-4);

    tf.dispose([input, ...outputs, pooled, fcW, fcB, expected]);
    model.dispose();
  });
});

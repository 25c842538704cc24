/**
 * The graph follows the checkpoint's head: any class count N ≥ 1 (1 and 2 included, raw logits),
 * or none at all; and the declared normalisation becomes the graph's first two constants.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCheckpoint, type ConvertOptions } from '../../../converter/convert.js';
import { inMemoryCheckpoint } from '../../../converter/synthetic/synthetic-checkpoint.js';
import { syntheticStateDict } from '../../../converter/synthetic/synthetic-state-dict.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-head-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = { fileName: 'head.pth', sha256: '0'.repeat(64), bytes: 0, format: 'in-memory' };

/** The synthetic weights with an fc of `classes` rows (0: no fc), converted; returns model.json. */
async function convertWithHead(classes: number, options: Omit<ConvertOptions, 'outDir'> = {}) {
  const sd = syntheticStateDict();
  sd.delete('fc.weight');
  sd.delete('fc.bias');
  if (classes > 0) {
    sd.set('fc.weight', { dtype: 'float32', shape: [classes, 2048], data: new Float32Array(classes * 2048).fill(0.01) });
    sd.set('fc.bias', { dtype: 'float32', shape: [classes], data: new Float32Array(classes) });
  }
  const outDir = join(dir, `n${classes}-${Math.random().toString(36).slice(2)}`);
  const { metadata } = await convertCheckpoint(inMemoryCheckpoint(sd), source, { outDir, ...options });
  const modelJson = JSON.parse(readFileSync(join(outDir, 'model.json'), 'utf8'));
  const shapes = Object.fromEntries((modelJson.weightsManifest[0].weights as { name: string; shape: number[] }[]).map((w) => [w.name, w.shape]));
  return { metadata, signature: modelJson.signature.outputs, shapes };
}

describe('head size', () => {
  it.each([1, 2, 7])('N = %i: fc is [2048, N], the signature says N, the labels are the given ones', async (n) => {
    const labels = Array.from({ length: n }, (_, i) => `tag${i}`);
    const { metadata, signature, shapes } = await convertWithHead(n, { labels });
    expect([metadata.numClasses, metadata.labels, metadata.outputs.logits]).toEqual([n, labels, 'logits']);
    expect([shapes['fc/kernel'], shapes['fc/bias']]).toEqual([[2048, n], [n]]);
    expect(signature.logits.tensorShape.dim.map((d: { size: string }) => d.size)).toEqual(['-1', String(n)]);
  });

  it('no fc: no head in the graph, the embedding is the signature output', async () => {
    const { metadata, signature, shapes } = await convertWithHead(0);
    expect(metadata.outputs.logits).toBeUndefined();
    expect(shapes['fc/kernel']).toBeUndefined();
    expect(Object.keys(signature)).toEqual(['embedding']);
  });
});

describe('normalisation in the graph and the metadata', () => {
  it('inception: scalar constants and x/127.5-1, as every earlier model', async () => {
    const { metadata, shapes } = await convertWithHead(2, { labels: 'none' });
    expect([shapes['const/input_scale'], shapes['const/input_shift']]).toEqual([[], []]);
    expect(metadata.preprocessing).toMatchObject({ scaling: 'x/127.5-1', normalization: { name: 'inception', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } });
  });

  it('explicit mean/std: per-channel [3] constants, recorded as custom', async () => {
    const { metadata, shapes } = await convertWithHead(2, { labels: 'none', mean: [0.5, 0.4, 0.3], std: [0.25, 0.25, 0.2] });
    expect([shapes['const/input_scale'], shapes['const/input_shift']]).toEqual([[3], [3]]);
    expect(metadata.preprocessing).toMatchObject({ scaling: '(x/255-mean)/std', normalization: { name: 'custom', mean: [0.5, 0.4, 0.3], std: [0.25, 0.25, 0.2] } });
  });
});

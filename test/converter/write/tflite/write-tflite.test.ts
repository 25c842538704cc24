/**
 * The written model.tflite, read back with the official FlatBuffers reader: the operators the
 * graph translates to, tensor shapes, the signature, the metadata, and the same weights as the
 * TF.js model of the same checkpoint in TFLite's layouts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertCheckpoint } from '../../../../converter/convert.js';
import { SYNTHETIC_SOURCE } from '../../../../converter/synthetic/convert-synthetic.js';
import { inMemoryCheckpoint } from '../../../../converter/synthetic/synthetic-checkpoint.js';
import { syntheticStateDict } from '../../../../converter/synthetic/synthetic-state-dict.js';
import { BUILTIN_OP, TENSOR_TYPE } from '../../../../converter/write/tflite/tflite-schema.js';
import { hwioToOhwi, transpose2d } from '../../../../converter/write/tflite/weight-layouts.js';
import { syntheticModelDir, syntheticTfliteDir } from '../../../../tools/models/synthetic-model.js';
import { readRoot, type TableView } from '../../../helpers/flatbuffer-reader.js';

interface TensorInfo {
  name: string;
  shape: number[];
  type: number;
  data: Uint8Array | undefined;
}

/** The parts of a .tflite file the tests look at (field numbers from TFLite's schema). */
function readTflite(bytes: Uint8Array) {
  const { root, identifier } = readRoot(bytes);
  const buffers = root.tables(4).map((b) => b.bytes(0)?.bytes);
  const [subgraph, ...others] = root.tables(2) as [TableView, ...TableView[]];
  const tensors: TensorInfo[] = subgraph.tables(0).map((t) => ({
    name: t.string(3) ?? '',
    shape: t.int32s(0),
    type: t.int8(1),
    data: t.uint32(2) > 0 ? buffers[t.uint32(2)] : undefined,
  }));
  const opNames = Object.fromEntries(Object.entries(BUILTIN_OP).map(([name, code]) => [code, name]));
  const codes = root.tables(1).map((c) => opNames[c.int32(3)] ?? `code ${c.int32(3)}`);
  const operators = subgraph.tables(3).map((op) => ({ op: codes[op.uint32(0)] as string, inputs: op.int32s(1), outputs: op.int32s(2) }));
  const tensorMap = (list: TableView[]) => Object.fromEntries(list.map((m) => [m.string(0), m.uint32(1)]));
  const signatures = root.tables(7).map((s) => ({ key: s.string(2), inputs: tensorMap(s.tables(0)), outputs: tensorMap(s.tables(1)) }));
  const metadata = Object.fromEntries(root.tables(6).map((m) => [m.string(0), new TextDecoder().decode(buffers[m.uint32(1)])]));
  return { identifier, version: root.uint32(0), subgraphs: 1 + others.length, tensors, operators, inputs: subgraph.int32s(1), outputs: subgraph.int32s(2), signatures, metadata };
}

/** The TF.js model's weights by name (float32 model: every entry is 4-byte elements). */
function tfjsWeights(dir: string): Map<string, Float32Array> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const [group] = json.weightsManifest as { paths: string[]; weights: { name: string; shape: number[] }[] }[];
  const all = new Uint8Array(Buffer.concat(group!.paths.map((p) => readFileSync(join(dir, p)))));
  const weights = new Map<string, Float32Array>();
  let offset = 0;
  for (const { name, shape } of group!.weights) {
    const count = shape.reduce((a, b) => a * b, 1);
    weights.set(name, new Float32Array(all.buffer.slice(offset, offset + 4 * count)));
    offset += 4 * count;
  }
  return weights;
}

const floats = (bytes: Uint8Array | undefined) => new Float32Array(new Uint8Array(bytes ?? []).buffer);

let model: ReturnType<typeof readTflite>;
beforeAll(async () => {
  model = readTflite(new Uint8Array(readFileSync(join(await syntheticTfliteDir(), 'model.tflite'))));
}, 120_000);

describe('model.tflite of the synthetic checkpoint', () => {
  it('is a TFL3 FlatBuffer, schema version 3, one subgraph', () => {
    expect([model.identifier, model.version, model.subgraphs]).toEqual(['TFL3', 3, 1]);
  });

  it('holds Inception V3 as TFLite builtins: 94 convs (9 of them before a 1/9 depthwise average), pools, 11 concats (the nested ones of Mixed_7b/7c flattened), mean, fc', () => {
    const histogram: Record<string, number> = {};
    for (const { op } of model.operators) histogram[op] = (histogram[op] ?? 0) + 1;
    expect(histogram).toEqual({ MUL: 1, ADD: 1, CONV_2D: 94, DEPTHWISE_CONV_2D: 9, MAX_POOL_2D: 4, CONCATENATION: 11, MEAN: 1, FULLY_CONNECTED: 1 });
  });

  it('runs in order: every operator reads constants, the input, or what an earlier operator wrote', () => {
    const ready = new Set(model.inputs);
    for (const { op, inputs, outputs } of model.operators) {
      for (const i of inputs) expect(ready.has(i) || model.tensors[i]?.data !== undefined, `${op} reads tensor ${i} before it is written`).toBe(true);
      for (const o of outputs) ready.add(o);
    }
  });

  it('takes pixels [1, 299, 299, 3] and gives logits [1, 1000] and embedding [1, 2048], also through the serving_default signature', () => {
    const describe = (i: number) => ({ name: model.tensors[i]?.name, shape: model.tensors[i]?.shape, type: model.tensors[i]?.type });
    expect(model.inputs.map(describe)).toEqual([{ name: 'pixels', shape: [1, 299, 299, 3], type: TENSOR_TYPE.float32 }]);
    expect(model.outputs.map(describe)).toEqual([
      { name: 'logits', shape: [1, 1000], type: TENSOR_TYPE.float32 },
      { name: 'embedding', shape: [1, 2048], type: TENSOR_TYPE.float32 },
    ]);
    expect(model.signatures).toEqual([{ key: 'serving_default', inputs: { pixels: model.inputs[0] }, outputs: { logits: model.outputs[0], embedding: model.outputs[1] } }]);
  });

  it('carries the model metadata (labels, normalisation, source) as JSON', () => {
    const metadata = JSON.parse(model.metadata.inceptionWebgpu ?? '{}');
    expect(metadata.numClasses).toBe(1000);
    expect(metadata.labels).toHaveLength(1000);
    expect(metadata.preprocessing.normalization.name).toBe('inception');
    expect(metadata.source.fileName).toBe('synthetic-seedA');
  });

  it('has the TF.js model’s weights, in TFLite layouts: OHWI conv kernels, [out, in] fc, every constant sized by its shape', async () => {
    const tfjs = tfjsWeights(await syntheticModelDir('float32'));
    const byName = new Map(model.tensors.map((t) => [t.name, t]));
    for (const t of model.tensors) if (t.data) expect(t.data.length, t.name).toBe(4 * t.shape.reduce((a, b) => a * b, 1));
    const stem = byName.get('Conv2d_1a_3x3/kernel');
    expect(stem?.shape).toEqual([32, 3, 3, 3]);
    expect(floats(stem?.data)).toEqual(hwioToOhwi(tfjs.get('Conv2d_1a_3x3/kernel') as Float32Array, [3, 3, 3, 32]).values);
    expect(floats(byName.get('Mixed_7c/branch_pool/bias')?.data)).toEqual(tfjs.get('Mixed_7c/branch_pool/bias'));
    expect(byName.get('fc/kernel')?.shape).toEqual([1000, 2048]);
    expect(floats(byName.get('fc/kernel')?.data)).toEqual(transpose2d(tfjs.get('fc/kernel') as Float32Array, [2048, 1000]).values);
  });
});

describe('an embedding-only checkpoint (no fc)', () => {
  it('writes a model whose only output is the embedding', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iw-tflite-'));
    try {
      const stateDict = syntheticStateDict();
      stateDict.delete('fc.weight');
      stateDict.delete('fc.bias');
      await convertCheckpoint(inMemoryCheckpoint(stateDict), SYNTHETIC_SOURCE, { outDir: join(dir, 'out'), format: 'tflite' });
      const headless = readTflite(new Uint8Array(readFileSync(join(dir, 'out', 'model.tflite'))));
      expect(headless.outputs.map((i) => headless.tensors[i]?.name)).toEqual(['embedding']);
      expect(headless.operators.some((o) => o.op === 'FULLY_CONNECTED')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

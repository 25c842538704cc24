/**
 * Fine-tuned checkpoints as training scripts save them, written by real PyTorch/torchvision
 * (test/fixtures/finetune): any class count, labels from the checkpoint or a file, ImageNet
 * normalisation, EMA and torch.compile wrappers, a backbone without fc. Each converts, and the
 * converted graph gives PyTorch's outputs for the seedA images within 1e-3 on TF.js wasm.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertFile } from '../../converter/convert-file.js';
import type { ConvertOptions } from '../../converter/convert.js';
import { FINETUNE, FINETUNE_CASES, FT7_LABELS_FILE, type FinetuneCaseName } from '../helpers/finetune-fixtures.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { SEED_A, seedAImages } from '../../tools/reference/seed-a.js';
import { loadModelDir, useBackend } from '../../tools/models/tf-node.js';

const TOLERANCE = 1e-3;

/** The graph's `output` for all seedA images on wasm, one row per image. */
async function runSeedA(dir: string, output: 'logits' | 'embedding'): Promise<Float32Array[]> {
  const tf = await useBackend('wasm');
  const model = await loadModelDir(dir);
  const { data, shape } = seedAImages(SEED_A.count);
  const input = tf.tensor4d(data, shape);
  const result = model.execute(input, output) as Tensor;
  const values = (await result.data()) as Float32Array;
  tf.dispose([input, result]);
  model.dispose();
  const width = values.length / SEED_A.count;
  return Array.from({ length: SEED_A.count }, (_, i) => values.slice(i * width, (i + 1) * width));
}

const cases: Array<[FinetuneCaseName, string, Omit<ConvertOptions, 'outDir'>, string[]]> = [
  ['ft7', 'ft7.pth', { labels: FT7_LABELS_FILE }, ["weights from 'state_dict'"]],
  ['binary', 'binary.pth', {}, ["weights from 'model'", "2 labels from the checkpoint's 'classes'"]],
  [
    'imagenet_norm',
    'imagenet_norm.pth',
    {},
    ["weights from 'model_state_dict'", "5 labels from the checkpoint's 'idx_to_class'", "normalization 'imagenet' from the checkpoint's transform_input=False"],
  ],
  ['ema_compiled', 'ema_compiled.pth', {}, ["weights from 'state_dict_ema' (the EMA weights, preferred over 'state_dict')", "3 labels from the checkpoint's 'class_to_idx'"]],
  ['embedding', 'embedding.pth', {}, ['no fc layer: an embedding-only model (embed, features and custom tags work; classify does not)']],
];

describe('fine-tuned checkpoints written by PyTorch', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iw-finetune-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('%s: labels, normalisation and outputs match PyTorch', async (name, file, options, notes) => {
    const want = FINETUNE_CASES[name];
    const outDir = join(dir, name);
    const result = await convertFile(join(FINETUNE, file), { outDir, ...options });
    expect(result.notes).toEqual(notes);
    expect(result.metadata.labels).toEqual(want.labels);
    expect(result.metadata.numClasses).toBe(want.labels.length);
    expect(result.metadata.preprocessing.normalization?.name).toBe(want.normalization);
    const reference = want.logits ?? want.embedding ?? [];
    const got = await runSeedA(outDir, want.logits ? 'logits' : 'embedding');
    const worst = Math.max(...got.map((row, i) => maxAbsDiff(row, reference[i] ?? [])));
    expect(got.map((row) => row.length)).toEqual(reference.map((row) => row.length));
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    console.info(`${name}: ${reference[0]?.length} outputs, max |Δ| vs PyTorch = ${worst.toExponential(2)}`);
  }, 60_000);

  it('the embedding-only model has no logits output and declares no classes', async () => {
    const { metadata } = await convertFile(join(FINETUNE, 'embedding.pth'), { outDir: join(dir, 'embedding-meta') });
    expect(metadata.outputs.logits).toBeUndefined();
    expect([metadata.numClasses, metadata.labels]).toEqual([0, []]);
  });

  it('a whole pickled nn.Module (torch.save(model)) is refused, saying to save state_dict()', async () => {
    const error = await convertFile(join(FINETUNE, 'whole_module.pth'), { outDir: join(dir, 'never') }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UNSAFE_PICKLE', message: expect.stringContaining('torch.save(model.state_dict(), path)') });
    expect((error as Error).message).toContain("'torch.nn.modules.container.Sequential'");
  });
});

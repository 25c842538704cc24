/**
 * Bad checkpoints get one typed, actionable error and leave nothing behind: no output
 * directory, no temporary folder next to it.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvertOptions } from '../../converter/convert.js';
import { convertFile } from '../../converter/convert-file.js';
import { syntheticStateDict, type PlainTensor } from '../../converter/synthetic/synthetic-state-dict.js';
import { isInceptionError } from '../../shared/errors.js';
import { writeSafetensors, writeTorchZipCheckpoint } from '../../tools/checkpoints/checkpoint-writers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Converts `file` into a fresh parent folder and returns the error, checking nothing was left. */
async function convertError(file: string, options: { dtype?: 'float32' } = {}): Promise<{ code: string; message: string }> {
  const parent = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  mkdirSync(parent);
  const error = await convertFile(file, { outDir: join(parent, 'model'), ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(readdirSync(parent)).toEqual([]);
  if (!isInceptionError(error)) throw new Error(`expected a typed error, got ${String(error)}`);
  expect(error.message).not.toContain('\n');
  return error;
}

function withEdit(edit: (sd: Map<string, PlainTensor>) => void): Map<string, PlainTensor> {
  const sd = syntheticStateDict();
  edit(sd);
  return sd;
}

describe('bad checkpoints', () => {
  it('a truncated checkpoint → E_CORRUPT_FILE', async () => {
    const file = join(dir, 'truncated.pth');
    writeTorchZipCheckpoint(file, syntheticStateDict());
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const error = await convertError(file);
    expect(error.code).toBe('E_CORRUPT_FILE');
  });

  it('a file that is no checkpoint → E_UNSUPPORTED_FORMAT', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'hello, this is not a checkpoint\n');
    expect((await convertError(file)).code).toBe('E_UNSUPPORTED_FORMAT');
  });

  it('a ResNet-like checkpoint → E_NOT_INCEPTION_V3 naming what it found', async () => {
    const file = join(dir, 'resnet.safetensors');
    const tensor = (shape: number[]): PlainTensor => ({ dtype: 'float32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    writeSafetensors(file, new Map([['conv1.weight', tensor([64, 3, 7, 7])], ['layer1.0.conv1.weight', tensor([64, 64, 3, 3])], ['fc.weight', tensor([1000, 512])]]));
    const error = await convertError(file);
    expect(error.code).toBe('E_NOT_INCEPTION_V3');
    expect(error.message).toContain("'conv1.weight'");
  });

  it('a missing key → E_MISSING_KEY naming it', async () => {
    const file = join(dir, 'missing.safetensors');
    writeSafetensors(file, withEdit((sd) => sd.delete('Mixed_6c.branch7x7_2.bn.running_var')));
    const error = await convertError(file);
    expect(error.code).toBe('E_MISSING_KEY');
    expect(error.message).toContain('Mixed_6c.branch7x7_2.bn.running_var');
  });

  it('an unexpected key → E_UNEXPECTED_KEY naming it', async () => {
    const file = join(dir, 'extra.safetensors');
    writeSafetensors(file, withEdit((sd) => sd.set('head.extra.weight', { dtype: 'float32', shape: [2], data: new Float32Array(2) })));
    const error = await convertError(file);
    expect(error.code).toBe('E_UNEXPECTED_KEY');
    expect(error.message).toContain('head.extra.weight');
  });

  it('a wrongly shaped tensor → E_SHAPE_MISMATCH with expected and found shapes', async () => {
    const file = join(dir, 'shape.safetensors');
    writeSafetensors(file, withEdit((sd) => sd.set('Mixed_6c.branch1x1.bn.bias', { dtype: 'float32', shape: [190], data: new Float32Array(190) })));
    const error = await convertError(file);
    expect(error.code).toBe('E_SHAPE_MISMATCH');
    expect(error.message).toContain('[190]');
    expect(error.message).toContain('[192]');
  });

  it('an fc head that is not [classes, 2048], or a bias of another class count → E_SHAPE_MISMATCH', async () => {
    const file = join(dir, 'head.safetensors');
    writeSafetensors(file, withEdit((sd) => sd.set('fc.weight', { dtype: 'float32', shape: [10, 1024], data: new Float32Array(10240) })));
    expect(await convertError(file)).toMatchObject({ code: 'E_SHAPE_MISMATCH', message: expect.stringContaining("'fc.weight' has shape [10, 1024], expected [10, 2048]") });
    writeSafetensors(file, withEdit((sd) => sd.set('fc.weight', { dtype: 'float32', shape: [10, 2048], data: new Float32Array(20480) })));
    expect(await convertError(file)).toMatchObject({ code: 'E_SHAPE_MISMATCH', message: expect.stringContaining("'fc.bias' has shape [1000], expected [10]") });
  });

  it.each([NaN, Infinity])('a %s weight → E_NON_FINITE naming the tensor', async (bad) => {
    const file = join(dir, `nonfinite-${bad}.safetensors`);
    writeSafetensors(file, withEdit((sd) => ((sd.get('Mixed_7c.branch_pool.conv.weight')?.data as Float32Array)[17] = bad)));
    const error = await convertError(file);
    expect(error.code).toBe('E_NON_FINITE');
    expect(error.message).toContain('Mixed_7c.branch_pool.conv.weight');
  });

  it('AuxLogits keys (torchvision) are ignored, num_batches_tracked is optional', async () => {
    const file = join(dir, 'aux.safetensors');
    writeSafetensors(
      file,
      withEdit((sd) => {
        for (const key of [...sd.keys()]) if (key.endsWith('num_batches_tracked')) sd.delete(key);
        sd.set('AuxLogits.fc.weight', { dtype: 'float32', shape: [1000, 768], data: new Float32Array(768000) });
      }),
    );
    const out = join(dir, 'aux-model');
    await convertFile(file, { outDir: out });
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });
});

describe('output directory', () => {
  it('refuses to overwrite a non-empty directory without force, then replaces it with force', async () => {
    const file = join(dir, 'ok.safetensors');
    writeSafetensors(file, syntheticStateDict());
    const out = join(dir, 'existing');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'user data');
    const error = await convertFile(file, { outDir: out }).catch((e: unknown) => e);
    expect(isInceptionError(error) && error.code).toBe('E_OUTPUT_EXISTS');
    expect(readdirSync(out)).toEqual(['keep.txt']);
    await convertFile(file, { outDir: out, force: true });
    expect(readdirSync(out)).toContain('model.json');
    expect(readdirSync(out)).not.toContain('keep.txt');
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('rejects a bad dtype, a bad shard size, a bad format and tflite with a quantized dtype before touching the disk', async () => {
    const file = join(dir, 'ok.safetensors');
    const bad: ConvertOptions[] = [
      { outDir: '', dtype: 'int4' as 'uint8' },
      { outDir: '', shardMiB: 0 },
      { outDir: '', format: 'onnx' as 'tflite' },
      { outDir: '', format: 'tflite', dtype: 'float16' },
      { outDir: '', format: 'tflite', graphPasses: ['reorder-pool-branches', 'fuse-sibling-convs'] },
    ];
    for (const options of bad) {
      const error = await convertFile(file, { ...options, outDir: join(dir, 'never') }).catch((e: unknown) => e);
      expect(isInceptionError(error) && error.code).toBe('E_BAD_ARGUMENT');
      expect(isInceptionError(error) && error.message).toMatch(options.format ? /format 'onnx'|format 'tflite' writes float32|format 'tflite' needs the graph passes/ : /dtype|shard/);
      expect(existsSync(join(dir, 'never'))).toBe(false);
    }
  });
});

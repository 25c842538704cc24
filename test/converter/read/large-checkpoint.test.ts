import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedStateDict, listConvs } from '../../../converter/model/inception-v3-spec.js';
import { openCheckpoint } from '../../../converter/read/open-checkpoint.js';
import {
  writeFlatStorageZip,
  writeSafetensors,
  writeTorchLegacyCheckpoint,
  writeTorchZipCheckpoint,
  type WritableTensor,
} from '../../../tools/checkpoints/checkpoint-writers.js';

const dir = mkdtempSync(join(tmpdir(), 'large-checkpoint-'));
const LARGEST = 1000 * 2048; // fc.weight

/**
 * Inception V3's 566 tensors at full size (95 MB on disk), all views of one 8 MB buffer so the
 * test itself stays small in memory.
 */
function inceptionSizedTensors(): Map<string, WritableTensor> {
  const pool = Float32Array.from({ length: LARGEST }, (_, i) => Math.fround(Math.sin(i) / 8));
  const tensors = new Map<string, WritableTensor>();
  for (const [name, shape] of expectedStateDict()) {
    tensors.set(name, {
      dtype: 'float32',
      shape,
      data: pool.subarray(
        0,
        shape.reduce((a, b) => a * b, 1),
      ),
    });
  }
  for (const conv of listConvs()) {
    tensors.set(`${conv.name}.bn.num_batches_tracked`, { dtype: 'int64', shape: [], data: BigInt64Array.of(0n) });
  }
  return tensors;
}

const tensors = inceptionSizedTensors();
const files = [
  ['torch-zip', join(dir, 'inception.pth'), writeTorchZipCheckpoint],
  ['torch-legacy', join(dir, 'inception-legacy.pth'), writeTorchLegacyCheckpoint],
  ['safetensors', join(dir, 'inception.safetensors'), writeSafetensors],
] as const;

beforeAll(() => {
  for (const [, path, write] of files) write(path, tensors);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(files)('a 95 MB %s checkpoint', (format, path) => {
  it('is not loaded whole to read one tensor', () => {
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(90e6);
    const before = process.memoryUsage().rss;
    const checkpoint = openCheckpoint(path);
    const values = checkpoint.tensors.get('Mixed_7c.branch3x3dbl_2.conv.weight')!.toFloat32(); // 2.6 MB
    const growth = process.memoryUsage().rss - before;
    checkpoint.close();
    expect(checkpoint.format).toBe(format);
    expect(values[values.length - 1]).toBe(tensors.get('Mixed_7c.branch3x3dbl_2.conv.weight')!.data.at(-1));
    // Reading the whole file would add ~95 MB; a lazy reader adds the tensor plus noise.
    expect(growth).toBeLessThan(size / 4);
  });

  it('reads all 566 tensors with the values written, well inside the converter budget', () => {
    const start = performance.now();
    const checkpoint = openCheckpoint(path);
    let mismatches = 0;
    for (const [name, want] of tensors) {
      const got = checkpoint.tensors.get(name)!.toFloat32();
      const expected = want.dtype === 'int64' ? Float32Array.of(0) : (want.data as Float32Array);
      if (got.length !== expected.length || got.some((v, i) => v !== expected[i])) mismatches++;
    }
    checkpoint.close();
    expect(checkpoint.tensors.size).toBe(566);
    expect(mismatches).toBe(0);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('a 95 MB checkpoint whose 566 tensors all view one deflated storage (flat parameters)', () => {
  it('inflates that storage once: all tensors read in the time budget of an uncompressed file', () => {
    const path = join(dir, 'flat-deflated.pth');
    writeFlatStorageZip(path, expectedStateDict(), true);
    expect(statSync(path).size).toBeLessThan(90e6); // it really is compressed
    const start = performance.now();
    const checkpoint = openCheckpoint(path);
    let elements = 0;
    for (const record of checkpoint.tensors.values()) elements += record.toFloat32().length;
    checkpoint.close();
    const ms = performance.now() - start;
    expect(checkpoint.tensors.size).toBe(expectedStateDict().size);
    expect(elements * 4).toBeGreaterThan(90e6);
    // Inflating the 95 MB storage per tensor took minutes; once, it takes about a second.
    expect(ms).toBeLessThan(5000);
  });
});

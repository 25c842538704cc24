import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Checkpoint, CheckpointFormat } from '../../../converter/read/checkpoint-types.js';
import { openCheckpoint } from '../../../converter/read/open-checkpoint.js';

// Written by converter/reference/make_reader_fixtures.py with real PyTorch 1.13.
const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/torch-written/${name}`, import.meta.url));

interface Expected {
  dtype: string;
  shape: number[];
  f32_bits: number[];
}
const expected = JSON.parse(readFileSync(fixture('small_expected.json'), 'utf8')) as {
  wrapped: string[];
  tensors: Record<string, Expected>;
};

/** Bit patterns, so NaN, -0 and subnormals compare exactly. */
function bitsOf(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.slice().buffer));
}

function expectMatchesPyTorch(checkpoint: Checkpoint, names: readonly string[]): void {
  expect([...checkpoint.tensors.keys()]).toEqual(names);
  for (const name of names) {
    const want = expected.tensors[name]!;
    const record = checkpoint.tensors.get(name)!;
    expect({ name, dtype: record.dtype, shape: record.shape }).toEqual({ name, dtype: want.dtype, shape: want.shape });
    expect(bitsOf(record.toFloat32()), name).toEqual(want.f32_bits);
  }
}

const allNames = Object.keys(expected.tensors);

describe.each<[string, CheckpointFormat]>([
  ['small_zip.pth', 'torch-zip'],
  ['small_legacy.pth', 'torch-legacy'],
  ['small_deflated.pth', 'torch-zip'],
  ['small_zip64.pth', 'torch-zip'],
  ['small_state.safetensors', 'safetensors'],
])('%s (written by PyTorch)', (file, format) => {
  it(`is detected as ${format} and every tensor equals PyTorch's values bit for bit`, () => {
    const checkpoint = openCheckpoint(fixture(file));
    try {
      expect(checkpoint.format).toBe(format);
      expectMatchesPyTorch(checkpoint, allNames);
    } finally {
      checkpoint.close();
    }
  });
});

describe('PyTorch layouts the readers must follow', () => {
  it('covers transposed, offset, shared-storage, 0-d, empty and Parameter tensors', () => {
    // Guards the fixture itself: these are the cases the bit-exact comparison above relies on.
    expect(expected.tensors['extra.transposed']!.shape).toEqual([4, 3]);
    expect(expected.tensors['extra.slice']!.shape).toEqual([3, 3]);
    expect(expected.tensors['1.num_batches_tracked']).toMatchObject({
      dtype: 'int64',
      shape: [],
      f32_bits: [0x40e00000],
    });
    expect(expected.tensors['extra.empty']!.f32_bits).toEqual([]);
  });

  it('unwraps {"state_dict": ...} and strips the DataParallel "module." prefix', () => {
    const checkpoint = openCheckpoint(fixture('small_wrapped.pth'));
    try {
      expectMatchesPyTorch(checkpoint, expected.wrapped);
    } finally {
      checkpoint.close();
    }
  });

  it('reads values lazily: a closed checkpoint can no longer produce them', () => {
    const checkpoint = openCheckpoint(fixture('small_zip.pth'));
    const record = checkpoint.tensors.get('0.weight')!;
    checkpoint.close();
    checkpoint.close(); // idempotent
    expect(() => record.toFloat32()).toThrow(/was closed/);
  });
});

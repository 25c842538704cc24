import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointFormat } from '../../../converter/read/checkpoint-types.js';
import { openCheckpoint } from '../../../converter/read/open-checkpoint.js';
import {
  writeSafetensors,
  writeTorchLegacyCheckpoint,
  writeTorchZipCheckpoint,
  type WritableTensor,
} from '../../../tools/checkpoints/checkpoint-writers.js';

const dir = mkdtempSync(join(tmpdir(), 'checkpoint-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 300 tensors so the pickle memo passes 255 (LONG_BINPUT), plus a 0-d int64 and views of one buffer. */
function sampleTensors(): Map<string, WritableTensor> {
  const tensors = new Map<string, WritableTensor>();
  const shared = Float32Array.from({ length: 64 }, (_, i) => Math.fround((i - 20) / 3));
  tensors.set('conv.weight', { dtype: 'float32', shape: [2, 2, 2, 2], data: shared.subarray(3, 19) });
  tensors.set('bn.num_batches_tracked', { dtype: 'int64', shape: [], data: BigInt64Array.of(-5n) });
  tensors.set('fc.big', { dtype: 'int64', shape: [2], data: BigInt64Array.of(2n ** 40n, 0n) });
  for (let i = 0; i < 300; i++)
    tensors.set(`layer${i}.bias`, { dtype: 'float32', shape: [1], data: shared.subarray(i % 64, (i % 64) + 1) });
  return tensors;
}

const writers: Array<[CheckpointFormat, string, (path: string, t: Map<string, WritableTensor>) => void]> = [
  ['torch-zip', 'zip.pth', writeTorchZipCheckpoint],
  ['torch-legacy', 'legacy.pth', writeTorchLegacyCheckpoint],
  ['safetensors', 'model.safetensors', writeSafetensors],
];

const tensors = sampleTensors();
for (const [, name, write] of writers) write(join(dir, name), tensors);

describe.each(writers)('%s writer → reader', (format, name) => {
  it('round-trips names, dtypes, shapes and values exactly', () => {
    const checkpoint = openCheckpoint(join(dir, name));
    try {
      expect(checkpoint.format).toBe(format);
      expect([...checkpoint.tensors.keys()]).toEqual([...tensors.keys()]);
      for (const [key, want] of tensors) {
        const record = checkpoint.tensors.get(key)!;
        expect([record.dtype, record.shape]).toEqual([want.dtype, want.shape]);
        expect([...record.toFloat32()]).toEqual([...want.data].map(Number));
      }
    } finally {
      checkpoint.close();
    }
  });
});

const python = '/usr/bin/python3';

describe('real PyTorch reads what the writers write', () => {
  it('torch.load returns the same state_dict from the zip and legacy files', () => {
    // Debian's python3-torch, which .ci/run installs. Without it this fails, never skips silently.
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    expect(probe.status, `this check needs PyTorch at ${python}: apt-get install python3-torch (${probe.stderr || String(probe.error)})`).toBe(0);
    // Prints, per file, each tensor's key, shape, dtype and values (float32 and int64 print exactly).
    const script = [
      'import json, sys, torch',
      'out = {}',
      'for p in sys.argv[1:]:',
      '    sd = torch.load(p)',
      '    out[p] = [[k, list(v.shape), str(v.dtype), v.reshape(-1).tolist()] for k, v in sd.items()]',
      'print(json.dumps(out))',
    ].join('\n');
    const files = [join(dir, 'zip.pth'), join(dir, 'legacy.pth')];
    const run = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout) as Record<string, Array<[string, number[], string, number[]]>>;
    const want = [...tensors].map(([key, t]) => [
      key,
      t.shape,
      t.dtype === 'int64' ? 'torch.int64' : 'torch.float32',
      [...t.data].map(Number),
    ]);
    for (const file of files) expect(loaded[file]).toEqual(want);
  }, 60_000);
});

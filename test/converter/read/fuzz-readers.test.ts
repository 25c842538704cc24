import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertFile } from '../../../converter/convert-file.js';
import { fnv1a32 } from '../../../converter/synthetic/hash-prng.js';
import { isInceptionError } from '../../../shared/errors.js';
import { seededRandom } from '../../../src/tagger/seeded-random.js';
import { writeFlatStorageZip, writeSafetensors, writeTorchLegacyCheckpoint, writeTorchZipCheckpoint, type WritableTensor } from '../../../tools/checkpoints/checkpoint-writers.js';
import { fuzzSettings, mutateBytes } from '../../helpers/mutate-bytes.js';
import { readAllTensors } from '../../helpers/read-all-tensors.js';

/**
 * Seeded mutation fuzzing of every reader. The property: opening a mutated file and reading all
 * its tensors either succeeds or throws an InceptionError, within a time bound, in bounded
 * memory; converting one writes nothing outside its output folder. CI runs a fixed seed;
 * FUZZ_ITERATIONS=100000 FUZZ_SEED=<n> npx vitest run test/converter/read/fuzz-readers.test.ts
 * runs longer. A failing input is kept in FUZZ_FAILURES_DIR, to be added to the corpus in
 * tools/fuzz/hostile-checkpoints.ts.
 */
const { iterations, seed } = fuzzSettings(2000);
const CASE_MS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'fuzz-readers-'));
const failuresDir = process.env.FUZZ_FAILURES_DIR ?? join(tmpdir(), 'inception-webgpu-fuzz-failures');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A few small tensors: float32 views of one buffer, a 0-d int64, a 4-d weight. */
function smallTensors(): Map<string, WritableTensor> {
  const shared = Float32Array.from({ length: 96 }, (_, i) => i / 7);
  return new Map<string, WritableTensor>([
    ['conv.weight', { dtype: 'float32', shape: [2, 3, 2, 2], data: shared.subarray(0, 24) }],
    ['conv.bias', { dtype: 'float32', shape: [2], data: shared.subarray(24, 26) }],
    ['bn.num_batches_tracked', { dtype: 'int64', shape: [], data: BigInt64Array.of(7n) }],
    ['fc.weight', { dtype: 'float32', shape: [4, 8], data: shared.subarray(32, 64) }],
  ]);
}

const bases: Array<[string, (path: string) => void]> = [
  ['zip.pth', (path) => writeTorchZipCheckpoint(path, smallTensors())],
  ['legacy.pth', (path) => writeTorchLegacyCheckpoint(path, smallTensors())],
  ['model.safetensors', (path) => writeSafetensors(path, smallTensors())],
  ['flat-deflated.pth', (path) => writeFlatStorageZip(path, new Map([['a', [3, 4]], ['b', [5]], ['c', [2, 2, 2]]]), true)],
];

/** Converting a mutated file fails (it is no Inception V3) and leaves its sandbox as it was. */
async function convertLeavesNothing(path: string, sandbox: string): Promise<string | undefined> {
  const before = readdirSync(sandbox).sort();
  try {
    await convertFile(path, { outDir: join(sandbox, 'out') });
    return 'converted a mutated tiny checkpoint';
  } catch (error) {
    if (!isInceptionError(error)) return `convertFile threw ${String(error)}`;
  }
  const after = readdirSync(sandbox).sort();
  return after.join() === before.join() ? undefined : `left ${after.join(', ')} behind`;
}

describe.each(bases)('fuzzing the reader of %s', (name, write) => {
  it(`${iterations} seeded mutations: each a result or a typed error within ${CASE_MS} ms, memory bounded, nothing written`, async () => {
    const base = join(dir, name);
    write(base);
    const original = readFileSync(base);
    const random = seededRandom(seed ^ fnv1a32(name));
    const sandbox = join(dir, `sandbox-${name}`);
    mkdirSync(sandbox);
    const path = join(sandbox, name);
    const peakBefore = process.resourceUsage().maxRSS / 1024;
    const failures: string[] = [];
    for (let i = 0; i < iterations; i++) {
      const mutated = mutateBytes(original, random);
      writeFileSync(path, mutated);
      const start = performance.now();
      let problem: string | undefined;
      try {
        readAllTensors(path);
      } catch (error) {
        if (!isInceptionError(error)) problem = `untyped ${String(error)}`;
      }
      if (!problem && performance.now() - start > CASE_MS) problem = `took ${Math.round(performance.now() - start)} ms`;
      // Conversion is slower (it hashes the file): every 10th mutation is also converted.
      if (!problem && i % 10 === 0) problem = await convertLeavesNothing(path, sandbox);
      if (problem) {
        mkdirSync(failuresDir, { recursive: true });
        const kept = join(failuresDir, `seed${seed}-${i}-${name}`);
        writeFileSync(kept, mutated);
        failures.push(`mutation ${i}: ${problem} (input kept as ${kept})`);
      }
    }
    expect(failures).toEqual([]);
    expect(process.resourceUsage().maxRSS / 1024 - peakBefore).toBeLessThan(300);
  });
});

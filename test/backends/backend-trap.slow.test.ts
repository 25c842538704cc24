import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/classifier.js';
import { isInceptionError } from '../../shared/errors.js';
import { loadClassifier } from '../../src/load-classifier.js';
import { fileFetch } from '../../src/node/file-fetch.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { seedAImages, seedALogits } from '../../tools/reference/seed-a.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

let modelDir: string;
/** A model.json whose metadata asks for a 30000-pixel resize and crop: once enough to trap the WASM heap. */
let hostileDir: string;

beforeAll(async () => {
  modelDir = await syntheticModelDir('float32');
  hostileDir = mkdtempSync(join(tmpdir(), 'hostile-model-'));
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
  Object.assign(json.userDefinedMetadata.inceptionWebgpu.preprocessing, { resizeShorterSide: 30000, cropSize: 30000 });
  writeFileSync(join(hostileDir, 'model.json'), JSON.stringify(json));
});
afterAll(() => rmSync(hostileDir, { recursive: true, force: true }));

// Raw 299×299 seedA pixels against PyTorch's logits for them: no resize in the way.
const load = (backend: 'wasm' | 'cpu', dir = modelDir) =>
  loadClassifier({ modelUrl: pathToFileURL(join(dir, 'model.json')).href, fetch: fileFetch, cache: false, backend, preprocess: 'none', warmup: false });

async function expectCorrect(classifier: Classifier): Promise<void> {
  const image = tf.tensor3d(seedAImages(1).data, [299, 299, 3]);
  try {
    expect(maxAbsDiff(await classifier.logits(image), seedALogits(0))).toBeLessThanOrEqual(1e-3);
  } finally {
    image.dispose();
  }
}

describe.each(['wasm', 'cpu'] as const)('on %s, a bad model cannot break a good one', (backend) => {
  it('the hostile model is refused before it reaches a kernel; a good model then classifies correctly', async () => {
    const error = await load(backend, hostileDir).then(() => undefined, (e: unknown) => e);
    expect(isInceptionError(error) && error.code).toBe('E_WRONG_MODEL');
    const good = await load(backend);
    await expectCorrect(good);
    good.dispose();
  });
});

describe('a WASM heap that trapped', () => {
  it('is re-created before the next load, which then classifies correctly', async () => {
    const first = await load('wasm');
    await expectCorrect(first);
    const input = tf.zeros([299, 299, 3]) as tf.Tensor3D;
    // Corrupt the heap as an out-of-bounds kernel would: every later op on this module traps.
    (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.fill(0xff, 0, 1 << 20);
    const trap = await first.logits(input).then(() => undefined, (e: unknown) => e);
    expect(trap).toBeInstanceOf(WebAssembly.RuntimeError);
    const second = await load('wasm');
    expect(second.backend).toBe('wasm');
    await expectCorrect(second);
    second.dispose();
  });
});

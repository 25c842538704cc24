/**
 * The classifier API end to end in Node (wasm backend): real photos through the SDK's own
 * decoding and torchvision-exact preprocessing, compared with PyTorch's own pipeline (PIL resize
 * + crop, then the same synthetic weights) from test/fixtures/photos/expected.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, isInceptionError, loadClassifier, type Classifier } from '../../src/node/index.js';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { FIXTURES, ROOT } from '../../tools/paths.js';
import { PHOTO_FILES, PHOTO_EXACT_TOLERANCE, PHOTOS, photoLogits } from '../../tools/reference/photo-logits.js';
import { seedAImages, seedALogits } from '../../tools/reference/seed-a.js';
import { startStaticServer } from '../../tools/browser/static-server.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';

const execFileAsync = promisify(execFile);

let classifier: Classifier;
beforeAll(async () => {
  classifier = await loadClassifier({ modelUrl: await syntheticModelDir('float32') });
});
afterAll(() => classifier.dispose());

async function expectError(promise: Promise<unknown>, code: string): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isInceptionError(error) && error.code, String(error)).toBe(code);
  return (error as Error).message;
}

describe('loading', () => {
  it('uses wasm by default in Node and reports timings and metadata', () => {
    expect(classifier.backend).toBe('wasm');
    expect(classifier.backendReport.skipped).toEqual([]);
    expect(classifier.labels[281]).toBe('tabby, tabby cat');
    expect(classifier.timings.totalMs).toBeGreaterThan(0);
    expect(classifier.timings.fromCache).toBe(false);
  });

  it('rejects a directory without a model with E_MODEL_NOT_FOUND', async () => {
    await expectError(loadClassifier({ modelUrl: FIXTURES }), 'E_MODEL_NOT_FOUND');
  });
});

describe(`parity with PyTorch on real photos (tolerance ${PHOTO_EXACT_TOLERANCE})`, () => {
  it.each(PHOTO_FILES)('%s', async (file) => {
    const pixels = await decodeImage(`${PHOTOS}/${file}`);
    const logits = await classifier.logits(pixels);
    pixels.dispose();
    expect(maxAbsDiff(logits, photoLogits(file))).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
    expect(topK(logits, 1)).toEqual(topK(photoLogits(file), 1));
  });
});

describe('API', () => {
  it('classifies a batch in one pass, each result matching its own image', async () => {
    const images = await Promise.all(PHOTO_FILES.slice(0, 3).map((f) => decodeImage(`${PHOTOS}/${f}`)));
    const lists = await classifier.classify(images, { topK: 3 });
    expect(lists).toHaveLength(3);
    lists.forEach((list, i) => {
      expect(list).toHaveLength(3);
      expect(list[0]?.index).toBe(topK(photoLogits(PHOTO_FILES[i] ?? ''), 1)[0]);
      expect(list[0]?.label).toBe(classifier.labels[list[0]?.index ?? -1]);
      expect(list[0]?.probability).toBeGreaterThan(list[1]?.probability ?? 1);
    });
    tf.dispose(images);
  });

  it("preprocess: 'none' feeds 299×299 pixels unchanged: seedA through the SDK matches PyTorch to 1e-3", async () => {
    const raw = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), preprocess: 'none', warmup: false });
    const { data } = seedAImages(1);
    const image = tf.tensor3d(data, [299, 299, 3]);
    expect(maxAbsDiff(await raw.logits(image), seedALogits(0))).toBeLessThanOrEqual(1e-3);
    const wrongSize = tf.zeros([300, 299, 3]);
    await expectError(raw.logits(wrongSize as tf.Tensor3D), 'E_INVALID_INPUT');
    tf.dispose([image, wrongSize]);
    raw.dispose();
  });

  it('applies threshold and allowlist (indices or labels)', async () => {
    const image = await decodeImage(`${PHOTOS}/${PHOTO_FILES[0]}`);
    const all = await classifier.classify(image, { topK: 1000 });
    const allowed = await classifier.classify(image, { allowlist: [all[10]?.index ?? 0, all[20]?.label ?? ''], topK: 5 });
    expect(allowed.map((p) => p.index)).toEqual([all[10]?.index, all[20]?.index]);
    expect(allowed[0]?.probability).toBeCloseTo(all[10]?.probability ?? 0, 6);
    const threshold = all[3]?.probability ?? 0;
    expect(await classifier.classify(image, { threshold, topK: 10 })).toHaveLength(4);
    await expectError(classifier.classify(image, { allowlist: ['not a class'] }), 'E_BAD_OPTION');
    await expectError(classifier.classify(image, { topK: 0 }), 'E_BAD_OPTION');
    image.dispose();
  });

  it('analyze gives classify, logits and embed of a batch from one forward pass', async () => {
    const images = await Promise.all(PHOTO_FILES.slice(0, 2).map((f) => decodeImage(`${PHOTOS}/${f}`)));
    const analyses = await classifier.analyze(images, { topK: 3 });
    const [lists, logits, embeddings] = [await classifier.classify(images, { topK: 3 }), await classifier.logits(images), await classifier.embed(images)];
    expect(analyses).toHaveLength(2);
    analyses.forEach((analysis, i) => {
      // The same batch through the same graph: identical up to float rounding.
      expect(maxAbsDiff(analysis.logits, logits[i] as Float32Array)).toBeLessThan(1e-5);
      expect(maxAbsDiff(analysis.embedding, embeddings[i] as Float32Array)).toBeLessThan(1e-5);
      expect(analysis.predictions.map((p) => p.index)).toEqual(lists[i]?.map((p) => p.index));
    });
    const single = await classifier.analyze(images[0] as tf.Tensor3D);
    expect(single.predictions).toHaveLength(5);
    expect(single.embedding).toHaveLength(2048);
    await expectError(classifier.analyze(images[0] as tf.Tensor3D, { topK: 0 }), 'E_BAD_OPTION');
    tf.dispose(images);
  });

  it('returns the 2048-d embedding and named feature maps', async () => {
    const image = await decodeImage(`${PHOTOS}/${PHOTO_FILES[1]}`);
    const embedding = await classifier.embed(image);
    expect(embedding).toBeInstanceOf(Float32Array);
    expect(embedding).toHaveLength(2048);
    const maps = await classifier.features(image, ['Mixed_5d', 'Mixed_6e', 'Mixed_7c']);
    expect(maps.Mixed_5d.shape).toEqual([35, 35, 288]);
    expect(maps.Mixed_5d.data).toHaveLength(35 * 35 * 288);
    expect(maps.Mixed_7c.data).toHaveLength(8 * 8 * 2048);
    // The embedding is Mixed_7c averaged over its 64 positions.
    const pooled = new Float32Array(2048);
    maps.Mixed_7c.data.forEach((v, i) => (pooled[i % 2048] = (pooled[i % 2048] ?? 0) + v / 64));
    expect(maxAbsDiff(pooled, embedding)).toBeLessThan(1e-4);
    await expectError(classifier.features(image, ['Mixed_9z']), 'E_UNKNOWN_FEATURE');
    image.dispose();
  });

  it('keeps concurrent calls apart: each result matches its own input', async () => {
    const images = await Promise.all(PHOTO_FILES.slice(0, 4).map((f) => decodeImage(`${PHOTOS}/${f}`)));
    const sequential: Float32Array[] = [];
    for (const image of images) sequential.push(await classifier.logits(image));
    const concurrent = await Promise.all([...images, ...images].map((image) => classifier.logits(image)));
    concurrent.forEach((logits, i) => expect(maxAbsDiff(logits, sequential[i % 4] as Float32Array)).toBe(0));
    tf.dispose(images);
  });
});

describe('typed errors', () => {
  it.each([
    ['a plain object', {}, 'E_INVALID_INPUT'],
    ['a number', 42, 'E_INVALID_INPUT'],
    ['a 2-D tensor', 'rank2', 'E_INVALID_INPUT'],
    ['a 0×0 image', 'empty', 'E_EMPTY_IMAGE'],
  ])('%s → %s', async (_label, input, code) => {
    const value = input === 'rank2' ? tf.zeros([4, 4]) : input === 'empty' ? tf.zeros([0, 0, 3]) : input;
    const message = await expectError(classifier.classify(value as never), code);
    expect(message.length).toBeGreaterThan(20);
    if (value instanceof tf.Tensor) value.dispose();
  });

  it('an oversized image → E_IMAGE_TOO_LARGE, and a corrupt file → E_DECODE_FAILED', async () => {
    const small = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), maxPixels: 100_000, warmup: false });
    const big = tf.zeros([400, 400, 3]);
    await expectError(small.classify(big as tf.Tensor3D), 'E_IMAGE_TOO_LARGE');
    big.dispose();
    small.dispose();
    await expectError(decodeImage(new TextEncoder().encode('definitely not a JPEG')), 'E_DECODE_FAILED');
  });
});

describe('memory', () => {
  it('tf.memory() stays flat over 200 calls, a quarter of them full inferences, the rest throwing', async () => {
    const image = await decodeImage(`${PHOTOS}/${PHOTO_FILES[0]}`);
    const empty = tf.zeros([0, 0, 3]);
    await classifier.classify(image);
    const before = tf.memory().numTensors;
    for (let call = 0; call < 200; call++) {
      const kind = call % 4;
      if (kind === 0) await classifier.classify(image);
      else if (kind === 1) await classifier.classify(empty as tf.Tensor3D).catch(() => undefined);
      else if (kind === 2) await classifier.features(image, ['nope']).catch(() => undefined);
      else await classifier.classify(image, { topK: -1 }).catch(() => undefined);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([image, empty]);
  }, 240_000);

  it('lets the 95 MB of weight bytes go once they are in WASM memory (no device to lose, nothing to re-upload)', async () => {
    const script = `${ROOT}test/node/scripts/retained-buffers.ts`;
    const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--import', 'tsx', script, await syntheticModelDir('float32')], { cwd: ROOT });
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { arrayBufferMB: number; logits: number };
    expect(report.logits).toBe(1000);
    // Holding the weights would keep 95 MB alive; the rest is TF.js's and Node's own small buffers.
    expect(report.arrayBufferMB).toBeLessThan(20);
  });

  it('dispose() is idempotent and later calls throw E_DISPOSED', async () => {
    const other = await loadClassifier({ modelUrl: await syntheticModelDir('float32'), warmup: false });
    other.dispose();
    other.dispose();
    await expectError(other.embed(tf.zeros([10, 10, 3]) as tf.Tensor3D), 'E_DISPOSED');
  });
});

describe('the browser API, with Node locations', () => {
  it('modelUrl takes a model.json path, a file: URL and an http URL; images may be paths and URLs', async () => {
    const dir = await syntheticModelDir('float32');
    const server = await startStaticServer({ mounts: { '/models/': dir, '/photos/': PHOTOS } });
    const file = 'coffee_small.png';
    try {
      for (const modelUrl of [`${dir}/model.json`, pathToFileURL(`${dir}/`).href, `${server.url}/models/model.json`]) {
        const loaded = await loadClassifier({ modelUrl, warmup: false });
        try {
          const inputs = [`${PHOTOS}/${file}`, pathToFileURL(`${PHOTOS}/${file}`).href, `${server.url}/photos/${file}`, new Blob([readFileSync(`${PHOTOS}/${file}`)])];
          for (const row of await loaded.logits(inputs)) expect(maxAbsDiff(row, photoLogits(file)), modelUrl).toBeLessThanOrEqual(PHOTO_EXACT_TOLERANCE);
        } finally {
          loaded.dispose();
        }
      }
    } finally {
      await server.close();
    }
  });

  it('a missing image file is E_INVALID_INPUT', async () => {
    await expectError(classifier.classify(`${PHOTOS}/no-such-photo.jpg`), 'E_INVALID_INPUT');
  });

  it.each([
    ['no options', undefined],
    ['modelUrl undefined', { modelUrl: undefined }],
    ['modelUrl a number', { modelUrl: 42 }],
    ['verifyIntegrity a string', { modelUrl: FIXTURES, verifyIntegrity: 'yes' }],
    ['onProgress not a function', { modelUrl: FIXTURES, onProgress: true }],
  ])('a wrong option type (%s) is E_BAD_OPTION, not a TypeError', async (_, options) => {
    const message = await expectError(loadClassifier(options as never), 'E_BAD_OPTION');
    expect(message.length).toBeGreaterThan(20);
  });
});

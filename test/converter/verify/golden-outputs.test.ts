/**
 * The self-check's golden outputs, as the converter stores them: the probe image is the one the
 * PyTorch reference script builds independently, and the stored logits and embedding values are
 * PyTorch's for that image (test/fixtures/probe, from converter/reference/make_probe_fixture.py).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { convertSyntheticModel } from '../../../converter/synthetic/convert-synthetic.js';
import type { InceptionModelMetadata } from '../../../shared/model-metadata.js';
import { PROBE_ID, probePixels } from '../../../shared/probe-image.js';
import { FIXTURES } from '../../../tools/paths.js';
import { maxAbsDiff } from '../../../tools/reference/logit-compare.js';
import { syntheticModelDir } from '../../../tools/models/synthetic-model.js';

const fixture = (name: string) => new Float32Array(new Uint8Array(readFileSync(join(FIXTURES, 'probe', name))).buffer);
const metadataOf = (dir: string): InceptionModelMetadata => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.inceptionWebgpu;

describe('the probe image', () => {
  it('is pixel for pixel the one the PyTorch reference script builds on its own', () => {
    const reference = new Uint8Array(readFileSync(join(FIXTURES, 'probe', 'probe_u8_299x299x3.bin')));
    const ours = probePixels();
    expect(ours.length).toBe(reference.length);
    expect(ours.every((v, i) => v === reference[i])).toBe(true);
  });
});

describe('golden outputs in the metadata', () => {
  it('are PyTorch’s logits and embedding for the probe, to 1e-4 (float32)', async () => {
    const check = metadataOf(await syntheticModelDir('float32')).selfCheck;
    expect(check?.probe).toBe(PROBE_ID);
    expect(check?.tolerance).toBe(1e-3);
    expect(maxAbsDiff(Float32Array.from(check?.logits ?? []), fixture('logits_f32_1000.bin'))).toBeLessThanOrEqual(1e-4);
    const embedding = fixture('embedding_f32_2048.bin');
    const expected = Float32Array.from(check?.embedding.indices ?? [], (i) => embedding[i] as number);
    expect(check?.embedding.values.length).toBe(16);
    expect(maxAbsDiff(Float32Array.from(check?.embedding.values ?? []), expected)).toBeLessThanOrEqual(1e-4);
  });

  it('come from the quantized model itself, with the float16 tolerance, and leave the active backend as it was', async () => {
    await tf.setBackend('cpu');
    const dir = await mkdtemp(join(tmpdir(), 'golden-f16-'));
    try {
      await convertSyntheticModel(join(dir, 'model'), 'float16');
      const check = metadataOf(join(dir, 'model')).selfCheck;
      expect(check?.tolerance).toBe(0.05);
      // float16 weights move the logits a little from float32's, well inside the tolerance.
      const drift = maxAbsDiff(Float32Array.from(check?.logits ?? []), fixture('logits_f32_1000.bin'));
      expect(drift).toBeGreaterThan(0);
      expect(drift).toBeLessThan(0.05);
      expect(tf.getBackend()).toBe('cpu');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// The demo's pure pieces: exports, similarity ranking, tag matching, what the indicator says.
import { describe, expect, it } from 'vitest';
import { describeBackend } from '../../demo/backend-description.js';
import { batchSummary } from '../../demo/batch-status.js';
import { tagsToCsv, tagsToJson } from '../../demo/export-tags.js';
import { cosineSimilarity, rankBySimilarity } from '../../demo/similarity.js';
import { matchesTag } from '../../demo/tag-filter.js';

const tabby = { index: 281, label: 'tabby, tabby cat', probability: 0.8125 };
const quote = { index: 999, label: 'toilet tissue, "bathroom" tissue', probability: 0.0625 };
const records = [
  { name: 'cats/tom.jpg', status: 'done' as const, predictions: [tabby, quote], ms: 812.4, backend: 'webgl' as const },
  { name: 'notes.txt', status: 'error' as const, error: 'Not an image (text/plain).' },
];

describe('demo: page logic', () => {
  it('exports tags as JSON, one object per photo', () => {
    expect(JSON.parse(tagsToJson(records))).toEqual({
      photos: [
        { file: 'cats/tom.jpg', status: 'done', backend: 'webgl', inferenceMs: 812, tags: [tabby, quote] },
        { file: 'notes.txt', status: 'error', error: 'Not an image (text/plain).', tags: [] },
      ],
    });
  });

  it('exports tags as RFC 4180 CSV, one row per tag, quoting commas and quotes', () => {
    expect(tagsToCsv(records).split('\r\n')).toEqual([
      'file,status,rank,class_index,label,probability,error',
      'cats/tom.jpg,done,1,281,"tabby, tabby cat",0.812500,',
      'cats/tom.jpg,done,2,999,"toilet tissue, ""bathroom"" tissue",0.062500,',
      'notes.txt,error,,,,,Not an image (text/plain).',
      '',
    ]);
  });

  it('ranks by cosine similarity, most similar first', () => {
    const reference = Float32Array.of(1, 0, 1);
    expect(cosineSimilarity(reference, Float32Array.of(2, 0, 2))).toBeCloseTo(1, 6);
    expect(cosineSimilarity(reference, Float32Array.of(0, 5, 0))).toBe(0);
    expect(cosineSimilarity(reference, Float32Array.of(0, 0, 0))).toBe(0);
    const items = [
      { id: 'orthogonal', e: Float32Array.of(0, 1, 0) },
      { id: 'opposite', e: Float32Array.of(-1, 0, -1) },
      { id: 'close', e: Float32Array.of(1, 0.1, 0.9) },
    ];
    const ranked = rankBySimilarity(reference, items, (item) => item.e);
    expect(ranked.map((r) => r.item.id)).toEqual(['close', 'orthogonal', 'opposite']);
    expect(ranked[2]?.similarity).toBeCloseTo(-1, 6);
    expect(() => cosineSimilarity(reference, Float32Array.of(1))).toThrow(/3 and 1 dimensions/);
  });

  it('matches a tag filter against any of the top-5 labels, ignoring case', () => {
    expect(matchesTag([tabby, quote], 'TABBY')).toBe(true);
    expect(matchesTag([tabby, quote], ' bathroom ')).toBe(true);
    expect(matchesTag([tabby], 'dog')).toBe(false);
    expect(matchesTag(undefined, 'cat')).toBe(false);
    expect(matchesTag(undefined, '')).toBe(true);
  });

  it('says which backend runs and why', () => {
    const skipped = [{ backend: 'webgpu' as const, reason: 'navigator.gpu is missing' }];
    expect(describeBackend({ backend: 'webgl', skipped }, 'auto', false)).toBe(
      'Backend: WebGL, chosen by auto as the first that works here; WebGPU skipped (navigator.gpu is missing).',
    );
    expect(describeBackend({ backend: 'webgpu', skipped: [] }, 'auto', true)).toBe('Backend: WebGPU, chosen by auto as the fastest backend, and it works here.');
    expect(describeBackend({ backend: 'wasm', skipped: [] }, 'wasm', false)).toBe(
      'Backend: WASM, single-threaded because the page is not cross-origin isolated (COOP/COEP), as you chose.',
    );
  });

  it('sums up a batch', () => {
    expect(batchSummary({ total: 1, settled: 1, errors: 0 })).toBe('Tagged 1 photo.');
    expect(batchSummary({ total: 6, settled: 6, errors: 3 })).toBe('Tagged 3 photos (3 errors).');
  });
});

// The demo's pure pieces: exports, similarity ranking, tag matching, what the indicator and the teach panel say.
import { describe, expect, it } from 'vitest';
import { TaggerError } from '../../src/index.js';
import { describeBackend } from '../../demo/backend-description.js';
import { batchProgress, batchSummary, timeLeft } from '../../demo/batch-status.js';
import { tagsToCsv, tagsToJson } from '../../demo/export-tags.js';
import { cosineSimilarity, rankBySimilarity } from '../../demo/similarity.js';
import { matchesTag } from '../../demo/tag-filter.js';
import { teachErrorText } from '../../demo/teach-notice.js';
import { teachingSize } from '../../demo/teach-photos.js';
import { canTrain, trainingSummary } from '../../demo/train-view.js';

const tabby = { index: 281, label: 'tabby, tabby cat', probability: 0.8125 };
const quote = { index: 999, label: 'toilet tissue, "bathroom" tissue', probability: 0.0625 };
const records = [
  { name: 'cats/tom.jpg', status: 'done' as const, predictions: [tabby, quote], customTags: [{ label: 'our cat', probability: 0.96875 }], ms: 812.4, backend: 'webgl' as const },
  { name: 'notes.txt', status: 'error' as const, error: 'Not an image (text/plain).' },
];

describe('demo: page logic', () => {
  it('exports tags as JSON, one object per photo', () => {
    expect(JSON.parse(tagsToJson(records))).toEqual({
      photos: [
        { file: 'cats/tom.jpg', status: 'done', backend: 'webgl', inferenceMs: 812, tags: [tabby, quote], customTags: [{ label: 'our cat', probability: 0.96875 }] },
        { file: 'notes.txt', status: 'error', error: 'Not an image (text/plain).', tags: [] },
      ],
    });
  });

  it('exports tags as RFC 4180 CSV, one row per tag (ImageNet, then taught), quoting commas and quotes', () => {
    expect(tagsToCsv(records).split('\r\n')).toEqual([
      'file,status,source,rank,class_index,label,probability,error',
      'cats/tom.jpg,done,imagenet,1,281,"tabby, tabby cat",0.812500,',
      'cats/tom.jpg,done,imagenet,2,999,"toilet tissue, ""bathroom"" tissue",0.062500,',
      'cats/tom.jpg,done,custom,1,,our cat,0.968750,',
      'notes.txt,error,,,,,,Not an image (text/plain).',
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
    expect(matchesTag([tabby, { label: 'our cat' }], 'our')).toBe(true);
  });

  it('says which backend runs and why', () => {
    const skipped = [{ backend: 'webgpu' as const, reason: 'navigator.gpu is missing' }];
    expect(describeBackend({ backend: 'webgl', skipped, notes: [] }, 'auto', false)).toBe(
      'Backend: WebGL, chosen by auto as the fastest that works here; WebGPU skipped (navigator.gpu is missing).',
    );
    expect(describeBackend({ backend: 'webgpu', skipped: [], notes: [] }, 'auto', true)).toBe('Backend: WebGPU, chosen by auto as the fastest backend, and it works here.');
    expect(describeBackend({ backend: 'wasm', skipped: [], notes: [] }, 'wasm', false)).toBe(
      'Backend: WASM, single-threaded because the page is not cross-origin isolated (COOP/COEP), as you chose.',
    );
    expect(describeBackend({ backend: 'wasm', skipped: [], notes: [], wasmThreads: 3 }, 'wasm', true)).toBe('Backend: WASM, 3 threads, as you chose.');
    const software = [{ backend: 'webgl' as const, reason: 'software renderer SwiftShader: slower than WASM' }];
    const fellBack = { backend: 'wasm' as const, skipped: software, notes: ['threaded WASM failed (did not finish initialising within 30 s), so WASM runs single-threaded'], wasmThreads: 1 };
    expect(describeBackend(fellBack, 'auto', true)).toBe(
      'Backend: WASM, 1 thread, chosen by auto as the fastest that works here; WebGL skipped (software renderer SwiftShader: slower than WASM).' +
        ' Note: threaded WASM failed (did not finish initialising within 30 s), so WASM runs single-threaded.',
    );
  });

  it('says what the self-check found and how auto measured', () => {
    const passed = { status: 'passed' as const, drift: 2.1e-5, tolerance: 0.001, cached: false };
    const measurements = [
      { backend: 'webgl' as const, warmMs: 61.2 },
      { backend: 'wasm' as const, warmMs: 38.4 },
    ];
    expect(describeBackend({ backend: 'wasm', skipped: [], notes: [], wasmThreads: 2, choice: 'measured', measurements, selfCheck: passed }, 'auto', true)).toBe(
      'Backend: WASM, 2 threads, chosen by auto after timing WebGL 61 ms, WASM 38 ms per photo on this device. Self-check passed (drift 2.1e-5, tolerance 0.001).',
    );
    expect(describeBackend({ backend: 'wasm', skipped: [], notes: [], wasmThreads: 2, choice: 'cached', measurements, selfCheck: { ...passed, cached: true } }, 'auto', true)).toBe(
      'Backend: WASM, 2 threads, chosen by auto from an earlier timing on this device (WebGL 61 ms, WASM 38 ms per photo). Self-check passed on this device earlier.',
    );
    const abandoned = [{ backend: 'webgpu' as const, warmMs: 9 }, { backend: 'webgl' as const, abandoned: 'first run 900 ms, over 3× the best' }];
    expect(describeBackend({ backend: 'webgpu', skipped: [], notes: [], choice: 'measured', measurements: abandoned }, 'auto', true)).toBe(
      'Backend: WebGPU, chosen by auto after timing WebGPU 9 ms, WebGL not timed (first run 900 ms, over 3× the best) per photo on this device.',
    );
    expect(describeBackend({ backend: 'webgl', skipped: [], notes: ['webgl: self-check drift 0.81 (accepted: acceptSelfCheckDrift)'], selfCheck: { status: 'failed', drift: 0.81, tolerance: 0.001, cached: false } }, 'webgl', true)).toBe(
      'Backend: WebGL, as you chose. Self-check failed (accepted). Note: webgl: self-check drift 0.81 (accepted: acceptSelfCheckDrift).',
    );
    expect(describeBackend({ backend: 'wasm', skipped: [], notes: [], selfCheck: { status: 'unavailable', cached: false } }, 'wasm', true)).toBe(
      'Backend: WASM, 1 thread, as you chose. Self-check unavailable: this model was converted without golden outputs.',
    );
  });

  it('sums up a batch, and says how it is going: rate and time left', () => {
    expect(batchSummary({ total: 1, settled: 1, errors: 0, cancelled: 0 })).toBe('Tagged 1 photo.');
    expect(batchSummary({ total: 6, settled: 6, errors: 3, cancelled: 0 })).toBe('Tagged 3 photos (3 errors).');
    expect(batchSummary({ total: 20, settled: 20, errors: 1, cancelled: 16 })).toBe('Tagged 3 photos (1 error, 16 cancelled).');
    const running = { total: 20, settled: 4, errors: 0, cancelled: 0 };
    expect(batchProgress(running)).toBe('Tagging 5 of 20…');
    expect(batchProgress({ ...running, rate: { imagesPerSecond: 1.94, etaMs: 8_240 } })).toBe('Tagging 5 of 20… 1.9 photos/s, about 8 s left.');
    expect(batchProgress({ ...running, rate: { imagesPerSecond: 0.1, etaMs: undefined } })).toBe('Tagging 5 of 20… 0.1 photos/s.');
    expect(timeLeft(125_400)).toBe('2 min 5 s');
    expect(timeLeft(-3)).toBe('0 s');
  });

  it("words the tagger's typed errors for the teach panel", () => {
    const empty = teachErrorText(new TaggerError('E_EMPTY_CLASS', 'no examples'), { label: 'cat', skipped: ['a.txt: Not an image.'] });
    expect(empty).toEqual({ code: 'E_EMPTY_CLASS', text: "Nothing was added to 'cat': none of those files is a photo this page can read.", detail: 'a.txt: Not an image.' });
    const mismatch = teachErrorText(new TaggerError('E_TAGGER_MISMATCH', 'weights sha256 abc…'));
    expect(mismatch).toMatchObject({ code: 'E_TAGGER_MISMATCH', text: expect.stringMatching(/another model.*teach the tags again/), detail: 'weights sha256 abc…' });
    expect(teachErrorText(new TaggerError('E_CORRUPT_TAGGER', 'not JSON'))).toMatchObject({ text: expect.stringMatching(/Download JSON/), detail: 'not JSON' });
    expect(teachErrorText(new Error('disk full'))).toEqual({ code: undefined, text: 'disk full' });
  });

  it('says why Train is disabled, and sums up training between runs', () => {
    const last = { epoch: 50, epochs: 50, loss: 0.01234, accuracy: 1 };
    const idle = { last: undefined, stale: false };
    expect(canTrain(undefined)).toBe(false);
    expect(canTrain({ labels: ['cat'] })).toBe(false);
    expect(canTrain({ labels: ['cat', 'coffee'] })).toBe(true);
    expect(trainingSummary(undefined, idle)).toMatch(/^Train needs two tags with photos, and there is none yet/);
    expect(trainingSummary({ labels: ['cat'], trained: false }, idle)).toBe(
      "Train needs a second tag: only 'cat' has photos. Teach another (for example 'other', with everyday photos that are not 'cat').",
    );
    expect(trainingSummary({ labels: ['a', 'b'], trained: false }, idle)).toBe('Ready to train on 2 tags.');
    expect(trainingSummary({ labels: ['a', 'b'], trained: true }, { last, stale: false })).toBe('Trained for 50 epochs: loss 0.012, 100% of the examples right.');
    expect(trainingSummary({ labels: ['a', 'b'], trained: true }, { last, stale: true })).toMatch(/^New examples since training/);
    expect(trainingSummary({ labels: ['a', 'b', 'c'], trained: false }, { last, stale: false })).toMatch(/^The tags changed since training/);
    expect(trainingSummary({ labels: ['a', 'b'], trained: true }, idle)).toBe('Trained (loaded).');
  });

  it('scales teaching photos down to a 512 px shorter side, never up', () => {
    expect(teachingSize(4000, 3000)).toEqual({ resizeWidth: 683, resizeHeight: 512 });
    expect(teachingSize(300, 1200)).toBeUndefined();
    expect(teachingSize(512, 800)).toBeUndefined();
  });
});

// The demo's tagging queue over the SDK's own classifyMany engine, with a fake analyze() whose
// photos finish when the test says: order, progress, cancel, a failed run, checks before decoding.
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../shared/errors.js';
import type { Classifier, ImageAnalysis } from '../../src/index.js';
import { classifyManyWith } from '../../src/many/classify-many.js';
import type { Engine } from '../../demo/engine.js';
import type { PhotoCard } from '../../demo/photo-card.js';
import type { PhotoRecord } from '../../demo/photo-record.js';
import { TaggingQueue, type Batch } from '../../demo/tagging-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** analyze() calls by file name; each finishes when the test calls `finish(name)`, or fails on its signal. */
function fakeClassifier() {
  const started: string[] = [];
  const pending = new Map<string, () => void>();
  const analyze = (input: File, options: { signal?: AbortSignal } = {}): Promise<ImageAnalysis> =>
    new Promise((resolve, reject) => {
      started.push(input.name);
      const embedding = Float32Array.of(started.length);
      pending.set(input.name, () => resolve({ predictions: [{ index: 1, label: `label of ${input.name}`, probability: 0.9 }], logits: new Float32Array(2), embedding }));
      options.signal?.addEventListener('abort', () => reject(new RuntimeError('E_ABORTED', 'aborted')), { once: true });
    });
  const classifier = { backend: 'wasm', analyze } as unknown as Classifier;
  Object.assign(classifier, { classifyMany: (inputs: never, options: never) => classifyManyWith(classifier, inputs, options) });
  /** Lets `name`'s analyze() resolve, then lets the queue see it. */
  const finish = async (name: string) => {
    await tick();
    pending.get(name)?.();
    await tick();
    await tick();
  };
  return { classifier, started, finish };
}

function record(name: string, status: PhotoRecord['status'] = 'queued'): PhotoRecord {
  const card = { showWorking: () => undefined } as unknown as PhotoCard;
  return { file: new File(['x'], name), name, status, card, ...(status === 'error' && { error: 'Not an image (text/plain).' }) };
}

/** A queue over `engine`, recording what it tells the page. */
function queueOn(engine: Pick<Engine, 'alongside'>) {
  const seen = { settled: [] as string[], finished: [] as Batch[], rates: [] as (Batch['rate'] | undefined)[] };
  const queue = new TaggingQueue(engine as Engine, {
    settled: (r) => seen.settled.push(`${r.name}:${r.status}`),
    progress: (batch) => seen.rates.push(batch.rate),
    finished: (batch) => seen.finished.push({ ...batch }),
  });
  return { queue, seen };
}

describe('demo: tagging queue', () => {
  it('tags a drop in order with one pass per photo (tags and embedding), reporting the rate, and sums up the batch', async () => {
    const fake = fakeClassifier();
    const { queue, seen } = queueOn({ alongside: (task) => task(fake.classifier) });
    const photos = [record('a.jpg'), record('notes.txt', 'error'), record('b.jpg')];
    queue.add(photos);
    for (const name of ['a.jpg', 'b.jpg']) await fake.finish(name);

    expect(fake.started).toEqual(['a.jpg', 'b.jpg']);
    expect(seen.settled).toEqual(['notes.txt:error', 'a.jpg:done', 'b.jpg:done']);
    expect(photos[0]).toMatchObject({ status: 'done', predictions: [{ label: 'label of a.jpg' }], embedding: Float32Array.of(1), backend: 'wasm' });
    expect(seen.finished).toEqual([{ total: 3, settled: 3, errors: 1, cancelled: 0, rate: expect.objectContaining({ etaMs: 0 }) as unknown }]);
    expect(seen.rates.filter(Boolean)).toHaveLength(2);
  });

  it('cancels at once: the photos not tagged yet are cancelled, those queued never start, and a later drop is a new batch', async () => {
    const fake = fakeClassifier();
    const { queue, seen } = queueOn({ alongside: (task) => task(fake.classifier) });
    queue.add(['a', 'b', 'c', 'd', 'e'].map((n) => record(`${n}.jpg`)));
    await fake.finish('a.jpg');
    queue.cancel();

    expect(seen.settled).toEqual(['a.jpg:done', 'b.jpg:cancelled', 'c.jpg:cancelled', 'd.jpg:cancelled', 'e.jpg:cancelled']);
    expect(seen.finished).toEqual([expect.objectContaining({ total: 5, settled: 5, errors: 0, cancelled: 4 })]);
    // classifyMany keeps 2 in flight: the photo after 'a' was running, the rest never started.
    expect(fake.started).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    await fake.finish('b.jpg');
    expect(seen.settled).toHaveLength(5);

    queue.add([record('f.jpg')]);
    await fake.finish('f.jpg');
    expect(seen.settled.at(-1)).toBe('f.jpg:done');
    expect(seen.finished[1]).toMatchObject({ total: 1, settled: 1, cancelled: 0 });
  });

  it('gives every photo the error when the run cannot start (no model loaded)', async () => {
    const { queue, seen } = queueOn({ alongside: () => Promise.reject(new Error('no model is loaded (see the message at the top of the page)')) });
    const photos = [record('a.jpg'), record('b.jpg')];
    queue.add(photos);
    await tick();
    expect(seen.settled).toEqual(['a.jpg:error', 'b.jpg:error']);
    expect(photos[1]?.error).toMatch(/^no model is loaded/);
    expect(seen.finished).toEqual([{ total: 2, settled: 2, errors: 2, cancelled: 0 }]);
  });
});

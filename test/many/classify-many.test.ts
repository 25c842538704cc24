/** classifyMany's engine (src/many/classify-many.ts) with fake runners: order, bounds, progress, errors, cancel. */
import { describe, expect, it } from 'vitest';
import { isInceptionError, RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../../src/input/image-input.js';
import { classifyManyWith, runMany, type ItemRunner, type ItemValue } from '../../src/many/classify-many.js';
import type { ManyProgress, ManyResult } from '../../src/many/many-types.js';
import { ProgressMeter } from '../../src/many/progress.js';
import { MANY_DEFAULTS, resolveManyOptions } from '../../src/options.js';
import type { ManyOptions } from '../../src/many/many-types.js';

/** Inputs are plain URL strings; a runner's value names its input so order can be checked. */
const urls = (count: number): string[] => Array.from({ length: count }, (_, i) => `img${i}.png`);
const valueOf = (input: ImageInput): ItemValue => ({ predictions: [{ index: 0, label: String(input), probability: 1 }] });
const labelOf = (result: ManyResult) => (result.ok ? result.predictions[0]?.label : `error:${result.error.code}`);
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function collect(results: AsyncIterable<ManyResult>): Promise<ManyResult[]> {
  const all: ManyResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

/** A runner that records how many items run at once and finishes them after `delay(index)` ms. */
function countingRunner(delay: (input: string) => number) {
  const state = { inFlight: 0, maxInFlight: 0, started: [] as string[], aborted: [] as string[] };
  const run: ItemRunner = (input, signal) => {
    state.started.push(String(input));
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let onAbort = () => {};
    return new Promise<ItemValue>((resolve, reject) => {
      const timer = setTimeout(() => resolve(valueOf(input)), delay(String(input)));
      onAbort = () => {
        clearTimeout(timer);
        state.aborted.push(String(input));
        reject(new RuntimeError('E_ABORTED', 'aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }).finally(() => {
      signal.removeEventListener('abort', onAbort);
      state.inFlight--;
    });
  };
  return { run, state };
}

const many = (inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>, run: ItemRunner, options: ManyOptions = {}) => runMany(inputs, run, resolveManyOptions(options));

describe('classifyMany', () => {
  it('yields one result per input in input order, though later items finish first', async () => {
    // Earlier items take longer: completion order is the reverse of input order.
    const { run } = countingRunner((input) => 30 - Number(input.match(/\d+/)?.[0]) * 3);
    const results = await collect(many(urls(8), run, { concurrency: 4 }));
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.map(labelOf)).toEqual(urls(8));
    expect(results.map((r) => r.input)).toEqual(urls(8));
  });

  it('never has more than `concurrency` items read and unfinished, and reads the input lazily', async () => {
    const { run, state } = countingRunner(() => 2);
    let read = 0;
    function* lazy(): Generator<string> {
      for (const url of urls(20)) {
        read++;
        yield url;
      }
    }
    const iterator = many(lazy(), run, { concurrency: 3 });
    const first = await iterator.next();
    expect(first.value?.index).toBe(0);
    // One result taken: at most 3 more read (the window) plus the one yielded.
    expect(read).toBeLessThanOrEqual(4);
    await collect(iterator);
    expect(state.maxInFlight).toBe(3);
    expect(state.started).toHaveLength(20);
  });

  it('defaults to MANY_DEFAULTS.concurrency in flight', async () => {
    const { run, state } = countingRunner(() => 2);
    await collect(many(urls(6), run));
    expect(state.maxInFlight).toBe(MANY_DEFAULTS.concurrency);
  });

  it('reads async iterables, with the total unknown until the input runs out', async () => {
    async function* slowly(): AsyncGenerator<string> {
      for (const url of urls(3)) {
        await tick();
        yield url;
      }
    }
    const progress: ManyProgress[] = [];
    // Items slower than the input: the end of the input is seen while the last item still runs.
    const { run } = countingRunner(() => 20);
    const results = await collect(many(slowly(), run, { concurrency: 2, onProgress: (p) => progress.push(p) }));
    expect(results.map(labelOf)).toEqual(urls(3));
    expect(progress.map((p) => p.total)).toEqual([undefined, undefined, 3]);
    expect(progress.at(-1)?.etaMs).toBe(0);
  });

  it('reports done, failed, rate and ETA after every item', async () => {
    const progress: ManyProgress[] = [];
    const run: ItemRunner = async (input) => {
      if (input === 'img1.png') throw new RuntimeError('E_DECODE_FAILED', 'bad file');
      return valueOf(input);
    };
    await collect(many(urls(4), run, { concurrency: 1, onProgress: (p) => progress.push(p) }));
    expect(progress.map(({ done, total, failed }) => ({ done, total, failed }))).toEqual([
      { done: 1, total: 4, failed: 0 },
      { done: 2, total: 4, failed: 1 },
      { done: 3, total: 4, failed: 1 },
      { done: 4, total: 4, failed: 1 },
    ]);
    for (const p of progress) expect(p.imagesPerSecond).toBeGreaterThan(0);
    expect(progress.at(-1)?.etaMs).toBe(0);
  });

  it('turns a failed item into its own typed error and goes on with the rest', async () => {
    const run: ItemRunner = async (input) => {
      if (input === 'img1.png') throw new RuntimeError('E_DECODE_FAILED', 'not an image');
      if (input === 'img2.png') throw new TypeError('foreign failure');
      return valueOf(input);
    };
    const results = await collect(many(urls(4), run));
    expect(results.map(labelOf)).toEqual(['img0.png', 'error:E_DECODE_FAILED', 'error:E_INVALID_INPUT', 'img3.png']);
    const wrapped = results[2];
    expect(wrapped?.ok).toBe(false);
    if (wrapped?.ok === false) {
      expect(isInceptionError(wrapped.error)).toBe(true);
      expect(wrapped.error.message).toContain('item 2 could not be classified: foreign failure');
      expect(wrapped.error.cause).toBeInstanceOf(TypeError);
    }
  });

  it('on abort: the iteration throws E_ABORTED, items in flight are cancelled and queued ones never start', async () => {
    const controller = new AbortController();
    const { run, state } = countingRunner(() => 1_000);
    const iterator = many(urls(10), run, { concurrency: 2, signal: controller.signal });
    const pending = iterator.next();
    await tick();
    controller.abort('user cancelled');
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED', message: expect.stringContaining('user cancelled') });
    expect(state.started).toEqual(['img0.png', 'img1.png']);
    expect(state.aborted.sort()).toEqual(['img0.png', 'img1.png']);
    await tick();
    expect(state.started).toHaveLength(2);
  });

  it('an already-aborted signal throws at the call, before anything is read', () => {
    const { run, state } = countingRunner(() => 1);
    expect(() => many(urls(3), run, { signal: AbortSignal.abort() })).toThrow(expect.objectContaining({ code: 'E_ABORTED' }));
    expect(state.started).toEqual([]);
  });

  it('leaving a for-await early cancels the items in flight, starts no more and closes the input', async () => {
    const { run, state } = countingRunner((input) => (input === 'img0.png' ? 1 : 1_000));
    let closed = false;
    function* lazy(): Generator<string> {
      try {
        yield* urls(10);
      } finally {
        closed = true;
      }
    }
    for await (const result of many(lazy(), run, { concurrency: 3 })) {
      expect(result.index).toBe(0);
      break;
    }
    expect(state.started).toEqual(['img0.png', 'img1.png', 'img2.png']);
    expect(state.aborted.sort()).toEqual(['img1.png', 'img2.png']);
    expect(closed).toBe(true);
    await tick();
    expect(state.started).toHaveLength(3);
  });

  it('rejects bad options at the call with E_BAD_OPTION', () => {
    const { run } = countingRunner(() => 1);
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      expect(() => many(urls(1), run, { concurrency }), String(concurrency)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION', message: expect.stringContaining('concurrency') }));
    }
    expect(() => many(urls(1), run, { topK: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION', message: expect.stringContaining('topK') }));
    expect(() => many(42 as unknown as string[], run)).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }));
  });
});

describe('classifyManyWith (the classifiers\' delegation)', () => {
  const fake = {
    calls: [] as string[],
    classify: async (input: ImageInput, options?: { topK?: number; signal?: AbortSignal }) => {
      fake.calls.push(`classify ${String(input)} topK=${options?.topK} signal=${options?.signal !== undefined}`);
      return valueOf(input).predictions;
    },
    analyze: async (input: ImageInput) => {
      fake.calls.push(`analyze ${String(input)}`);
      return { ...valueOf(input), logits: new Float32Array([1]), embedding: new Float32Array([2, 3]) };
    },
  };

  it('runs classify() per item with the classify options and the run\'s signal; analyze() with embeddings', async () => {
    fake.calls.length = 0;
    const plain = await collect(classifyManyWith(fake as never, urls(2), { topK: 3 }));
    expect(fake.calls).toEqual(['classify img0.png topK=3 signal=true', 'classify img1.png topK=3 signal=true']);
    expect(plain[0]).not.toHaveProperty('embedding');
    const rich = await collect(classifyManyWith(fake as never, urls(1), { embeddings: true }));
    expect(fake.calls.at(-1)).toBe('analyze img0.png');
    expect(rich[0]).toMatchObject({ ok: true, logits: new Float32Array([1]), embedding: new Float32Array([2, 3]) });
  });
});

describe('ProgressMeter', () => {
  it('computes the rate and ETA from its clock', () => {
    let now = 0;
    const meter = new ProgressMeter(10, () => now);
    now = 2_000;
    expect(meter.settle(true)).toEqual({ done: 1, total: 10, failed: 0, imagesPerSecond: 0.5, etaMs: 18_000 });
    now = 4_000;
    expect(meter.settle(false)).toEqual({ done: 2, total: 10, failed: 1, imagesPerSecond: 0.5, etaMs: 16_000 });
  });
});

import { abortError, throwIfAborted, untilAborted } from '../abort.js';
import { isInceptionError, RuntimeError, type InceptionError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import type { Classifier } from '../classifier.js';
import { resolveManyOptions, type ResolvedManyOptions } from '../options.js';
import type { Prediction } from '../postprocess/top-k.js';
import type { ManyOptions, ManyResult } from './many-types.js';
import { knownSize, ProgressMeter } from './progress.js';

/** What a runner gives for one item: its predictions, and with `embeddings: true` its logits and embedding. */
export interface ItemValue {
  readonly predictions: Prediction[];
  readonly logits?: Float32Array;
  readonly embedding?: Float32Array;
}

/** Classifies one item; `signal` fires when the run is cancelled or abandoned. */
export type ItemRunner = (input: ImageInput, signal: AbortSignal) => Promise<ItemValue>;

type Inputs = Iterable<ImageInput> | AsyncIterable<ImageInput>;

const WHAT = 'classifyMany()';

/** Any failure of one item as that item's typed error; foreign errors keep theirs as the cause. */
export function itemError(error: unknown, index: number): InceptionError {
  if (isInceptionError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RuntimeError('E_INVALID_INPUT', `item ${index} could not be classified: ${message}`, { cause: error });
}

function inputIterator(inputs: Inputs): Iterator<ImageInput> | AsyncIterator<ImageInput> {
  if (inputs !== null && typeof inputs === 'object' && Symbol.asyncIterator in inputs) return inputs[Symbol.asyncIterator]();
  if (inputs !== null && typeof (inputs as Partial<Iterable<ImageInput>>)[Symbol.iterator] === 'function') return (inputs as Iterable<ImageInput>)[Symbol.iterator]();
  throw new RuntimeError('E_INVALID_INPUT', `classifyMany() takes an array, an iterable or an async iterable of images, got ${String(inputs)}`);
}

/**
 * Runs `run` over every input with at most `concurrency` items read and not yet yielded (so a
 * library of Files is decoded a few at a time), yielding results in input order. An item that
 * fails is yielded as its own error; the caller's `signal` ends the run with E_ABORTED, and
 * leaving the loop early (iterator.return()) cancels the items in flight. Options must already
 * be resolved (resolveManyOptions), so that bad ones throw at the call, not at the first item.
 */
export function runMany(inputs: Inputs, run: ItemRunner, options: ResolvedManyOptions): AsyncIterableIterator<ManyResult> {
  const signal = options.classify.signal;
  throwIfAborted(signal, WHAT);
  const source = inputIterator(inputs);
  return ordered(source, run, options, new ProgressMeter(knownSize(inputs)));
}

async function* ordered(source: Iterator<ImageInput> | AsyncIterator<ImageInput>, run: ItemRunner, options: ResolvedManyOptions, meter: ProgressMeter): AsyncGenerator<ManyResult> {
  const userSignal = options.classify.signal;
  // Aborted by the caller's signal and when the loop is left: either way, items in flight stop.
  const stop = new AbortController();
  const onAbort = () => stop.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onAbort, { once: true });
  // Started items, oldest first; each promise settles (never rejects) with its item's result.
  const window: Promise<ManyResult>[] = [];
  let read = 0;
  let exhausted = false;
  const start = (input: ImageInput, index: number) =>
    run(input, stop.signal).then(
      (value): ManyResult => ({ index, input, ok: true, ...value }),
      (error: unknown): ManyResult => ({ index, input, ok: false, error: itemError(error, index) }),
    ).then((result) => {
      if (!stop.signal.aborted) options.onProgress?.(meter.settle(result.ok));
      return result;
    });
  try {
    for (;;) {
      while (!exhausted && window.length < options.concurrency) {
        throwIfAborted(userSignal, WHAT);
        const next = await untilAborted(Promise.resolve(source.next()), userSignal, WHAT);
        if (next.done) {
          exhausted = true;
          meter.setTotal(read);
        } else {
          window.push(start(next.value, read++));
        }
      }
      const head = window.shift();
      if (!head) return;
      const result = await untilAborted(head, userSignal, WHAT);
      // An item that failed because the run was aborted is the run's error, not the item's.
      if (userSignal?.aborted) throw abortError(userSignal, WHAT);
      yield result;
    }
  } finally {
    userSignal?.removeEventListener('abort', onAbort);
    stop.abort(new RuntimeError('E_ABORTED', 'classifyMany() was left before its last item'));
    if (!exhausted) closeQuietly(source);
  }
}

/** Tells an unfinished input it will not be read further, without waiting on it (it may hang). */
function closeQuietly(source: Iterator<ImageInput> | AsyncIterator<ImageInput>): void {
  try {
    void Promise.resolve(source.return?.()).catch(() => undefined);
  } catch {
    // The input's own clean-up failed; the run is over either way.
  }
}

/**
 * classifyMany for a classifier (main thread, worker, pool): each item is one classify() call, or
 * with `embeddings: true` one analyze() call.
 */
export function classifyManyWith(
  classifier: Pick<Classifier, 'classify' | 'analyze'>,
  inputs: Inputs,
  options?: ManyOptions,
  defaultConcurrency?: number,
): AsyncIterableIterator<ManyResult> {
  const resolved = resolveManyOptions(options, defaultConcurrency);
  const run: ItemRunner = resolved.embeddings
    ? async (input, signal) => {
        const { predictions, logits, embedding } = await classifier.analyze(input, { ...resolved.classify, signal });
        return { predictions, logits, embedding };
      }
    : async (input, signal) => ({ predictions: await classifier.classify(input, { ...resolved.classify, signal }) });
  return runMany(inputs, run, resolved);
}

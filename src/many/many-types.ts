import type { InceptionError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import type { ClassifyOptions } from '../options.js';
import type { Prediction } from '../postprocess/top-k.js';

/** Where a classifyMany run stands; passed to `onProgress` after every item. */
export interface ManyProgress {
  /** Items finished, failed ones included. */
  readonly done: number;
  /** Items in all; undefined while an (async) iterable input is still being read. */
  readonly total: number | undefined;
  /** Items that ended in their own error. */
  readonly failed: number;
  /** Finished items per second since the run started. */
  readonly imagesPerSecond: number;
  /** Estimated time left, from the rate so far; undefined until the total and a rate are known. */
  readonly etaMs: number | undefined;
}

export interface ManyOptions extends ClassifyOptions {
  /** Called after each item settles. */
  readonly onProgress?: (progress: ManyProgress) => void;
  /**
   * Items in flight at once (decoded, queued or running). Bounds memory: the other items stay as
   * the caller passed them (Files, URLs) and are not decoded yet. @default 2 (a pool: 2 per worker)
   */
  readonly concurrency?: number;
  /** Also return each item's logits and 2048-d embedding (one forward pass, as analyze()). @default false */
  readonly embeddings?: boolean;
}

/** One item's outcome, yielded in input order. A bad item is its own error; the run goes on. */
export type ManyResult =
  | {
      readonly index: number;
      readonly input: ImageInput;
      readonly ok: true;
      readonly predictions: Prediction[];
      /** With `embeddings: true`. */
      readonly logits?: Float32Array;
      /** With `embeddings: true`. */
      readonly embedding?: Float32Array;
    }
  | { readonly index: number; readonly input: ImageInput; readonly ok: false; readonly error: InceptionError };

/** The method every front door (classifier, worker classifier, worker pool) offers. */
export interface ClassifiesMany {
  /**
   * Classifies a whole library of photos, streaming one result per item in input order. Cancel
   * with `signal`: queued items never start and the iteration ends with E_ABORTED.
   */
  classifyMany(inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>, options?: ManyOptions): AsyncIterableIterator<ManyResult>;
}

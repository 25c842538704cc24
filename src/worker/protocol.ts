/**
 * The messages between a WorkerClassifier (main thread) and exposeClassifier() (worker). Every
 * request carries an id and gets exactly one 'result' or 'error' reply with the same id, so
 * concurrent calls cannot pick up each other's answers.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BrowserBlob, BrowserImageBitmap, BrowserImageData } from '../browser-types.js';
import type { BackendReport } from '../backends/select-backend.js';
import type { LoadTimings } from '../classifier.js';
import type { ImageInput } from '../input/image-input.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { ClassifyOptions, LoadOptions, LoadProgress } from '../options.js';

/** ClassifyOptions as posted: an AbortSignal cannot cross threads (see CancelNotice). */
export type WireClassifyOptions = Omit<ClassifyOptions, 'signal'>;
import type { WireError } from './wire-error.js';

/** A tf.Tensor3D's values; tensors cannot cross threads, so the worker rebuilds one from this. */
export interface WireTensor {
  readonly kind: 'tensor';
  readonly data: tf.TypedArray;
  readonly shape: readonly number[];
  readonly dtype: tf.DataType;
}

/** The inputs that survive postMessage; elements, canvases and frames become ImageBitmaps first. */
export type WireImage = Extract<ImageInput, BrowserImageBitmap | BrowserImageData | BrowserBlob | string> | WireTensor;

/** LoadOptions without the functions, which cannot be posted; `progress` asks for progress messages. */
export type WireLoadOptions = Omit<LoadOptions, 'onProgress' | 'fetch' | 'signal'> & { readonly progress: boolean };

export type CallRequest =
  | { readonly type: 'call'; readonly id: number; readonly method: 'classify' | 'analyze'; readonly input: WireImage | readonly WireImage[]; readonly options?: WireClassifyOptions }
  | { readonly type: 'call'; readonly id: number; readonly method: 'logits' | 'embed'; readonly input: WireImage | readonly WireImage[] }
  | { readonly type: 'call'; readonly id: number; readonly method: 'features'; readonly input: WireImage; readonly names: readonly string[] };

export type Request = { readonly type: 'load'; readonly id: number; readonly options: WireLoadOptions } | CallRequest;

/** Main thread → worker, no reply: the call `id` was aborted (its AbortSignal cannot be posted). */
export interface CancelNotice {
  readonly type: 'cancel';
  readonly id: number;
}

/** A request as the client builds it, before the connection numbers it. */
export type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;

/** What the main thread needs to answer `backend`, `metadata`, `labels` and `timings` without asking. */
export interface LoadedInfo {
  readonly backendReport: BackendReport;
  readonly metadata: InceptionModelMetadata;
  readonly timings: LoadTimings;
}

export type Reply =
  | { readonly type: 'progress'; readonly id: number; readonly progress: LoadProgress }
  /** `backendReport` rides along because a lost GPU device can move the worker to another backend. */
  | { readonly type: 'result'; readonly id: number; readonly value: unknown; readonly backendReport?: BackendReport }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError };

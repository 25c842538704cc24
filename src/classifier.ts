/**
 * The Classifier contract every front door implements: loadClassifier (this thread, see
 * infer/create-classifier.ts), loadWorkerClassifier and loadWorkerPool (worker/). The stages
 * behind it: load/ (fetch, cache, verify) → backends/ (choose and check) → input/ + preprocess/
 * (pixels, resize, crop) → infer/ (the forward pass) → postprocess/ (top-k).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendReport } from './backends/select-backend.js';
import type { ImageInput } from './input/image-input.js';
import type { InceptionModelMetadata } from '../shared/model-metadata.js';
import type { BackendName, CallOptions, ClassifyOptions } from './options.js';
import type { Prediction } from './postprocess/top-k.js';
import type { ClassifiesMany } from './many/many-types.js';

/** A model's artifacts and metadata, however they were obtained (network, cache, file). */
export interface LoadedModel {
  readonly artifacts: tf.io.ModelArtifacts;
  readonly metadata: InceptionModelMetadata;
  readonly fromCache: boolean;
  readonly bytes: number;
}

export interface LoadTimings {
  /** Trying backends until one works. */
  readonly backendMs: number;
  /** Download (or cache read) and integrity check. */
  readonly fetchMs: number;
  /** Weight upload to the backend. */
  readonly uploadMs: number;
  /** Shader compilation and the first inference (the probe image, which the self-check compares). */
  readonly warmupMs: number;
  /** 'auto' measuring other candidates and timing warm runs; 0 when the choice was remembered. */
  readonly measureMs: number;
  readonly totalMs: number;
  readonly fromCache: boolean;
}

export interface FeatureMap {
  /** [height, width, channels] */
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Everything one forward pass gives for an image: see Classifier.analyze. */
export interface ImageAnalysis {
  readonly predictions: Prediction[];
  /** The raw logits (one per class of the model), before softmax. */
  readonly logits: Float32Array;
  /** The 2048-d pooled embedding. */
  readonly embedding: Float32Array;
}

export interface Classifier extends ClassifiesMany {
  /** The TF.js backend in use; it can change after a lost GPU device forces a fallback. */
  readonly backend: BackendName;
  /** The backend chosen and why each earlier one was skipped. */
  readonly backendReport: BackendReport;
  readonly metadata: InceptionModelMetadata;
  readonly labels: readonly string[];
  readonly timings: LoadTimings;
  /** Top classes for one image, or one list per image (a single batched forward pass). */
  classify(image: ImageInput, options?: ClassifyOptions): Promise<Prediction[]>;
  classify(images: readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[][]>;
  /** The raw logits (one per class: 1000 for ImageNet weights), before softmax. */
  logits(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  logits(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  /** The 2048-d pooled embedding (the input to the final fc layer). */
  embed(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  embed(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  /**
   * classify(), logits() and embed() from a single forward pass, for apps that want ImageNet
   * labels and custom tags (which need the embedding) of the same photo: half the work of
   * calling classify() and embed() in turn.
   */
  analyze(image: ImageInput, options?: ClassifyOptions): Promise<ImageAnalysis>;
  analyze(images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]>;
  /** Named feature maps, e.g. ['Mixed_5d', 'Mixed_6e', 'Mixed_7c']. */
  features<N extends string>(image: ImageInput, names: readonly N[], options?: CallOptions): Promise<Record<N, FeatureMap>>;
  /** Frees the model's GPU memory. Idempotent; later calls throw E_DISPOSED. */
  dispose(): void;
}

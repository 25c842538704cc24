import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { selectBackend, type BackendReport } from './backends/select-backend.js';
import { noteBackendTrap } from './backends/backend-trap.js';
import { canLoseDevice, watchDeviceLoss, recoveryCandidates, resetBackend } from './backends/device-loss.js';
import { throwIfAborted, untilAborted } from './abort.js';
import { RuntimeError } from '../shared/errors.js';
import { toPixelTensor, type ImageInput } from './input/image-input.js';
import { logitsOutput, type InceptionModelMetadata } from '../shared/model-metadata.js';
import { resolveClassifyOptions, type BackendName, type CallOptions, type ClassifyOptions, type ResolvedLoadOptions } from './options.js';
import { topPredictions, type Prediction } from './postprocess/top-k.js';
import { resizeAndCenterCrop } from './preprocess/index.js';
import { SerialQueue } from './serial-queue.js';
import { warmUp } from './warm-up.js';
import { classifyManyWith } from './many/classify-many.js';
import type { ClassifiesMany, ManyOptions, ManyResult } from './many/many-types.js';

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
  /** Shader compilation and the first inference. */
  readonly warmupMs: number;
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

/** Splits a batched output [N, ...] into one copy per image. */
function splitBatch(data: Float32Array, count: number): Float32Array[] {
  const size = data.length / count;
  return Array.from({ length: count }, (_, i) => data.slice(i * size, (i + 1) * size));
}

class InceptionClassifier implements Classifier {
  private readonly queue = new SerialQueue();
  private disposed = false;
  private deviceLost: string | undefined;

  constructor(
    private model: GraphModel,
    private report: BackendReport,
    /** Kept for re-uploading after a GPU device loss (on WASM and CPU without its weights: see uploadModel). */
    private readonly artifacts: tf.io.ModelArtifacts,
    readonly metadata: InceptionModelMetadata,
    readonly timings: LoadTimings,
    private readonly options: ResolvedLoadOptions,
  ) {
    this.watch();
  }

  get backend(): BackendName {
    return this.report.backend;
  }

  get backendReport(): BackendReport {
    return this.report;
  }

  get labels(): readonly string[] {
    return this.metadata.labels;
  }

  classify(image: ImageInput, options?: ClassifyOptions): Promise<Prediction[]>;
  classify(images: readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[][]>;
  async classify(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[] | Prediction[][]> {
    const resolved = resolveClassifyOptions(options);
    const [logits = []] = await this.run(input, [logitsOutput(this.metadata)], 'classify()', resolved.signal);
    const lists = logits.map((row) => topPredictions(row, this.labels, resolved));
    return Array.isArray(input) ? lists : (lists[0] ?? []);
  }

  logits(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  logits(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  async logits(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    const [rows = []] = await this.run(input, [logitsOutput(this.metadata)], 'logits()', options?.signal);
    return Array.isArray(input) ? rows : (rows[0] as Float32Array);
  }

  embed(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  embed(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  async embed(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    const [rows = []] = await this.run(input, [this.metadata.outputs.embedding], 'embed()', options?.signal);
    return Array.isArray(input) ? rows : (rows[0] as Float32Array);
  }

  analyze(image: ImageInput, options?: ClassifyOptions): Promise<ImageAnalysis>;
  analyze(images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]>;
  async analyze(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis | ImageAnalysis[]> {
    const resolved = resolveClassifyOptions(options);
    const [logitRows = [], embeddingRows = []] = await this.run(input, [logitsOutput(this.metadata), this.metadata.outputs.embedding], 'analyze()', resolved.signal);
    const analyses = logitRows.map((row, i) => ({
      predictions: topPredictions(row, this.labels, resolved),
      logits: row,
      embedding: embeddingRows[i] as Float32Array,
    }));
    return Array.isArray(input) ? analyses : (analyses[0] as ImageAnalysis);
  }

  classifyMany(inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>, options?: ManyOptions): AsyncIterableIterator<ManyResult> {
    return classifyManyWith(this, inputs, options);
  }

  async features<N extends string>(image: ImageInput, names: readonly N[], options?: CallOptions): Promise<Record<N, FeatureMap>> {
    const known = this.metadata.outputs.features;
    for (const name of names) {
      if (!Object.hasOwn(known, name)) {
        throw new RuntimeError('E_UNKNOWN_FEATURE', `no feature map named '${name}'; this model offers ${Object.keys(known).join(', ')}`);
      }
    }
    const outputs = await this.run(image, names, 'features()', options?.signal);
    return Object.fromEntries(names.map((name, i) => [name, { shape: known[name] ?? [], data: outputs[i]?.[0] ?? new Float32Array() }])) as Record<N, FeatureMap>;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  /**
   * Runs the graph on a batch and returns, per requested output, one array per image. An aborted
   * call rejects at once; if it was still queued, it never runs.
   */
  private run(input: ImageInput | readonly ImageInput[], outputs: readonly string[], what: string, signal?: AbortSignal): Promise<Float32Array[][]> {
    const images: readonly ImageInput[] = Array.isArray(input) ? input : [input as ImageInput];
    throwIfAborted(signal, what);
    if (images.length === 0) return Promise.resolve(outputs.map(() => []));
    // One call at a time: bounded memory, and a device-loss recovery never races a forward pass.
    const queued = this.queue.run(async () => {
      this.assertUsable();
      throwIfAborted(signal, what);
      if (this.deviceLost !== undefined) await this.recover();
      try {
        return await this.forward(images, outputs, () => throwIfAborted(signal, what));
      } catch (error) {
        noteBackendTrap(error, this.report.backend);
        if (this.deviceLost === undefined) throw error;
        await this.recover();
        return this.forward(images, outputs, () => throwIfAborted(signal, what));
      }
    });
    return untilAborted(queued, signal, what);
  }

  /** `checkAbort` runs between decoding the images and running the graph. */
  private async forward(images: readonly ImageInput[], outputs: readonly string[], checkAbort: () => void): Promise<Float32Array[][]> {
    const pixels: tf.Tensor3D[] = [];
    try {
      for (const image of images) pixels.push(await toPixelTensor(image, this.options.maxPixels));
      checkAbort();
      const results = tf.tidy(() => {
        const batch = tf.stack(pixels.map((p) => this.preprocess(p)));
        const out = this.model.execute(batch, [...outputs]);
        // GraphModel.execute unwraps a single requested output.
        return Array.isArray(out) ? out : [out];
      });
      try {
        const data = await Promise.all(results.map((t) => t.data() as Promise<Float32Array>));
        return data.map((d) => splitBatch(d, images.length));
      } finally {
        tf.dispose(results);
      }
    } finally {
      tf.dispose(pixels);
    }
  }

  /** torchvision's resize + center crop, or (preprocess: 'none') a check that the image already fits. */
  private preprocess(pixels: tf.Tensor3D): tf.Tensor3D {
    const { resizeShorterSide, cropSize } = this.metadata.preprocessing;
    if (this.options.preprocess === 'torchvision') return resizeAndCenterCrop(pixels, { resizeTo: resizeShorterSide, cropTo: cropSize });
    const [height, width] = pixels.shape;
    if (height !== cropSize || width !== cropSize) {
      throw new RuntimeError('E_INVALID_INPUT', `with preprocess: 'none' images must be ${cropSize}×${cropSize}, got ${width}×${height}; use preprocess: 'torchvision' to resize and crop`);
    }
    return tf.cast(pixels, 'float32');
  }

  private assertUsable(): void {
    if (this.disposed) throw new RuntimeError('E_DISPOSED', 'this classifier was disposed; call loadClassifier() again to get a new one');
  }

  private watch(): void {
    watchDeviceLoss(this.report.backend, (reason) => {
      if (!this.disposed) this.deviceLost = reason;
    });
  }

  /** Re-creates the lost backend (or falls back to the next one) and re-uploads the weights. */
  private async recover(): Promise<void> {
    const lost = this.report.backend;
    try {
      this.model.dispose();
    } catch {
      // The weights lived on the lost device; there is nothing left to free.
    }
    resetBackend(lost);
    try {
      this.report = await selectBackend(this.options.backend, this.options, recoveryCandidates(lost, this.options.backend));
    } catch (error) {
      throw new RuntimeError('E_DEVICE_LOST', `the ${lost} device was lost (${this.deviceLost}) and no backend could take over`, { cause: error });
    }
    this.deviceLost = undefined;
    this.model = await uploadModel(this.artifacts, this.report.backend);
    this.watch();
  }
}

/**
 * Loads the graph onto the active backend. Only a GPU backend can lose its device and need the
 * weights again: on WASM and CPU the weight bytes (95 MB for float32) would only sit in memory, in
 * `artifacts` and in the GraphModel, which keeps the same object, so they are let go.
 */
async function uploadModel(artifacts: tf.io.ModelArtifacts, backend: BackendName): Promise<GraphModel> {
  const model = await loadGraphModel(tf.io.fromMemory(artifacts));
  if (!canLoseDevice(backend)) artifacts.weightData = undefined;
  return model;
}

/** Picks a backend, loads the model onto it and warms it up. */
export async function createClassifier(options: ResolvedLoadOptions, load: () => Promise<LoadedModel>): Promise<Classifier> {
  const started = performance.now();
  const report = await selectBackend(options.backend, options);
  const selected = performance.now();
  const loaded = await load();
  const fetched = performance.now();
  const model = await uploadModel(loaded.artifacts, report.backend);
  const uploaded = performance.now();
  if (options.warmup) await warmUp(model, report.backend, loaded.metadata);
  const done = performance.now();
  const timings: LoadTimings = {
    backendMs: selected - started,
    fetchMs: fetched - selected,
    uploadMs: uploaded - fetched,
    warmupMs: done - uploaded,
    totalMs: done - started,
    fromCache: loaded.fromCache,
  };
  return new InceptionClassifier(model, report, loaded.artifacts, loaded.metadata, timings, options);
}

import type { BackendReport } from '../backends/select-backend.js';
import type { Classifier, FeatureMap, ImageAnalysis, LoadTimings } from '../classifier.js';
import { throwIfAborted, untilAborted } from '../abort.js';
import { RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { BackendName, CallOptions, ClassifyOptions } from '../options.js';
import type { Prediction } from '../postprocess/top-k.js';
import type { CallRequest, LoadedInfo, Unnumbered, WireImage } from './protocol.js';
import type { WorkerConnection } from './worker-connection.js';
import { toWireInput } from './wire-image.js';
import { classifyManyWith } from '../many/classify-many.js';
import type { ManyOptions, ManyResult } from '../many/many-types.js';

/** The Classifier API on the main thread, with every forward pass running in a worker. */
export class WorkerClassifier implements Classifier {
  private report: BackendReport;
  readonly metadata: InceptionModelMetadata;
  readonly timings: LoadTimings;

  constructor(
    private readonly connection: WorkerConnection,
    info: LoadedInfo,
    /** Checked here too, so an oversized image is refused before it is copied into a bitmap. */
    private readonly maxPixels: number,
  ) {
    this.report = info.backendReport;
    this.metadata = info.metadata;
    this.timings = info.timings;
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
  classify(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[] | Prediction[][]> {
    const { signal, ...posted } = options ?? {};
    return this.call('classify', input, (wire) => ({ type: 'call', method: 'classify', input: wire, options: posted }), signal) as Promise<Prediction[] | Prediction[][]>;
  }

  logits(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  logits(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  logits(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    return this.call('logits', input, (wire) => ({ type: 'call', method: 'logits', input: wire }), options?.signal) as Promise<Float32Array | Float32Array[]>;
  }

  embed(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  embed(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  embed(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    return this.call('embed', input, (wire) => ({ type: 'call', method: 'embed', input: wire }), options?.signal) as Promise<Float32Array | Float32Array[]>;
  }

  analyze(image: ImageInput, options?: ClassifyOptions): Promise<ImageAnalysis>;
  analyze(images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]>;
  analyze(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis | ImageAnalysis[]> {
    const { signal, ...posted } = options ?? {};
    return this.call('analyze', input, (wire) => ({ type: 'call', method: 'analyze', input: wire, options: posted }), signal) as Promise<ImageAnalysis | ImageAnalysis[]>;
  }

  classifyMany(inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>, options?: ManyOptions): AsyncIterableIterator<ManyResult> {
    return classifyManyWith(this, inputs, options);
  }

  features<N extends string>(image: ImageInput, names: readonly N[], options?: CallOptions): Promise<Record<N, FeatureMap>> {
    return this.call('features', image, (wire) => ({ type: 'call', method: 'features', input: wire as WireImage, names }), options?.signal) as Promise<Record<N, FeatureMap>>;
  }

  /** Terminates the worker, which frees its GPU memory. Idempotent; later calls throw E_DISPOSED. */
  dispose(): void {
    this.connection.close(new RuntimeError('E_DISPOSED', 'this classifier was disposed; call loadWorkerClassifier() again to get a new one'));
  }

  private async call(
    method: CallRequest['method'],
    input: ImageInput | readonly ImageInput[],
    request: (wire: WireImage | WireImage[]) => Unnumbered<CallRequest>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    this.connection.assertOpen();
    const what = `${method}()`;
    throwIfAborted(signal, what);
    // Snapshotting the inputs takes a moment: an abort meanwhile must reject at once too.
    const wire = await untilAborted(toWireInput(input, this.maxPixels), signal, what);
    const reply = await this.connection.request(request(wire.input), wire.transfer, undefined, signal);
    if (reply.backendReport) this.report = reply.backendReport;
    return reply.value;
  }
}

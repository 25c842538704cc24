import type { BackendReport } from '../backends/select-backend.js';
import type { Classifier, FeatureMap, ImageAnalysis, LoadTimings } from '../classifier.js';
import { RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { BackendName, ClassifyOptions } from '../options.js';
import type { Prediction } from '../postprocess/top-k.js';
import type { CallRequest, LoadedInfo, Unnumbered, WireImage } from './protocol.js';
import type { WorkerConnection } from './worker-connection.js';
import { toWireInput } from './wire-image.js';

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
    return this.call(input, (wire) => ({ type: 'call', method: 'classify', input: wire, options })) as Promise<Prediction[] | Prediction[][]>;
  }

  logits(image: ImageInput): Promise<Float32Array>;
  logits(images: readonly ImageInput[]): Promise<Float32Array[]>;
  logits(input: ImageInput | readonly ImageInput[]): Promise<Float32Array | Float32Array[]> {
    return this.call(input, (wire) => ({ type: 'call', method: 'logits', input: wire })) as Promise<Float32Array | Float32Array[]>;
  }

  embed(image: ImageInput): Promise<Float32Array>;
  embed(images: readonly ImageInput[]): Promise<Float32Array[]>;
  embed(input: ImageInput | readonly ImageInput[]): Promise<Float32Array | Float32Array[]> {
    return this.call(input, (wire) => ({ type: 'call', method: 'embed', input: wire })) as Promise<Float32Array | Float32Array[]>;
  }

  analyze(image: ImageInput, options?: ClassifyOptions): Promise<ImageAnalysis>;
  analyze(images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]>;
  analyze(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis | ImageAnalysis[]> {
    return this.call(input, (wire) => ({ type: 'call', method: 'analyze', input: wire, options })) as Promise<ImageAnalysis | ImageAnalysis[]>;
  }

  features<N extends string>(image: ImageInput, names: readonly N[]): Promise<Record<N, FeatureMap>> {
    return this.call(image, (wire) => ({ type: 'call', method: 'features', input: wire as WireImage, names })) as Promise<Record<N, FeatureMap>>;
  }

  /** Terminates the worker, which frees its GPU memory. Idempotent; later calls throw E_DISPOSED. */
  dispose(): void {
    this.connection.close(new RuntimeError('E_DISPOSED', 'this classifier was disposed; call loadWorkerClassifier() again to get a new one'));
  }

  private async call(input: ImageInput | readonly ImageInput[], request: (wire: WireImage | WireImage[]) => Unnumbered<CallRequest>): Promise<unknown> {
    this.connection.assertOpen();
    const wire = await toWireInput(input, this.maxPixels);
    const reply = await this.connection.request(request(wire.input), wire.transfer);
    if (reply.backendReport) this.report = reply.backendReport;
    return reply.value;
  }
}

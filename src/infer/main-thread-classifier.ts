import type { BackendReport } from '../backends/select-backend.js';
import type { Classifier, FeatureMap, ImageAnalysis, LoadTimings } from '../classifier.js';
import { RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import { logitsOutput, type InceptionModelMetadata } from '../../shared/model-metadata.js';
import { resolveClassifyOptions, type CallOptions, type ClassifyOptions } from '../options.js';
import { topPredictions, type Prediction } from '../postprocess/top-k.js';
import { ClassifierBase } from './classifier-base.js';
import type { InferSession } from './infer-session.js';

const asList = (input: ImageInput | readonly ImageInput[]): readonly ImageInput[] => (Array.isArray(input) ? input : [input as ImageInput]);

/** The Classifier API over an InferSession on this thread: picks the outputs, then postprocesses them. */
export class MainThreadClassifier extends ClassifierBase implements Classifier {
  constructor(
    private readonly session: InferSession,
    readonly timings: LoadTimings,
  ) {
    super();
  }

  protected get report(): BackendReport {
    return this.session.backendReport;
  }

  get metadata(): InceptionModelMetadata {
    return this.session.metadata;
  }

  classify(image: ImageInput, options?: ClassifyOptions): Promise<Prediction[]>;
  classify(images: readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[][]>;
  async classify(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[] | Prediction[][]> {
    const resolved = resolveClassifyOptions(options);
    const [logits = []] = await this.session.run(asList(input), [logitsOutput(this.metadata)], 'classify()', resolved.signal);
    const lists = logits.map((row) => topPredictions(row, this.labels, resolved));
    return Array.isArray(input) ? lists : (lists[0] ?? []);
  }

  logits(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  logits(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  async logits(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    const [rows = []] = await this.session.run(asList(input), [logitsOutput(this.metadata)], 'logits()', options?.signal);
    return Array.isArray(input) ? rows : (rows[0] as Float32Array);
  }

  embed(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  embed(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  async embed(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    const [rows = []] = await this.session.run(asList(input), [this.metadata.outputs.embedding], 'embed()', options?.signal);
    return Array.isArray(input) ? rows : (rows[0] as Float32Array);
  }

  analyze(image: ImageInput, options?: ClassifyOptions): Promise<ImageAnalysis>;
  analyze(images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]>;
  async analyze(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis | ImageAnalysis[]> {
    const resolved = resolveClassifyOptions(options);
    const outputs = [logitsOutput(this.metadata), this.metadata.outputs.embedding];
    const [logitRows = [], embeddingRows = []] = await this.session.run(asList(input), outputs, 'analyze()', resolved.signal);
    const analyses = logitRows.map((row, i) => ({
      predictions: topPredictions(row, this.labels, resolved),
      logits: row,
      embedding: embeddingRows[i] as Float32Array,
    }));
    return Array.isArray(input) ? analyses : (analyses[0] as ImageAnalysis);
  }

  async features<N extends string>(image: ImageInput, names: readonly N[], options?: CallOptions): Promise<Record<N, FeatureMap>> {
    const known = this.metadata.outputs.features;
    for (const name of names) {
      if (!Object.hasOwn(known, name)) {
        throw new RuntimeError('E_UNKNOWN_FEATURE', `no feature map named '${name}'; this model offers ${Object.keys(known).join(', ')}`);
      }
    }
    const outputs = await this.session.run([image], names, 'features()', options?.signal);
    return Object.fromEntries(names.map((name, i) => [name, { shape: known[name] ?? [], data: outputs[i]?.[0] ?? new Float32Array() }])) as Record<N, FeatureMap>;
  }

  dispose(): void {
    this.session.dispose();
  }
}

import type { BackendReport } from '../backends/select-backend.js';
import type { Classifier, FeatureMap, ImageAnalysis, LoadTimings } from '../classifier.js';
import { RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import { ClassifierBase } from '../infer/classifier-base.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { POOL_DEFAULTS, type CallOptions, type ClassifyOptions } from '../options.js';
import type { Prediction } from '../postprocess/top-k.js';

/** A Classifier whose calls are spread over several workers, each with its own copy of the model. */
export interface WorkerPool extends Classifier {
  /** How many workers the pool runs. */
  readonly size: number;
}

interface Member {
  readonly classifier: Classifier;
  /** Images sent to this worker and not answered yet. */
  busy: number;
}

/** A batch cut into at most `parts` contiguous runs of near-equal length, in order. */
function split<T>(items: readonly T[], parts: number): T[][] {
  const count = Math.min(parts, items.length);
  return Array.from({ length: count }, (_, i) => items.slice(Math.floor((i * items.length) / count), Math.floor(((i + 1) * items.length) / count)));
}

const crashed = (error: unknown) => error instanceof RuntimeError && error.code === 'E_WORKER';

/**
 * Sends each call to the worker with the fewest images outstanding; a batch is split across the
 * workers and put back together in input order. Metadata and the backend are the first live
 * worker's (every worker loads the same model with the same options).
 *
 * A worker that crashes fails the calls it had (E_WORKER, as a lone worker classifier does; they
 * are not retried, since an image that crashed one worker may crash the next) and is replaced:
 * `restart` loads a new one while later calls go to the others, or wait for it when none is left.
 */
export class WorkerPoolClassifier extends ClassifierBase implements WorkerPool {
  private readonly members: Member[];
  private readonly loaded: Classifier;
  private readonly restarts = new Set<Promise<void>>();
  private restartError: unknown;
  private disposed = false;

  constructor(
    classifiers: readonly Classifier[],
    private readonly restart?: () => Promise<Classifier>,
  ) {
    super();
    this.members = classifiers.map((classifier) => ({ classifier, busy: 0 }));
    this.loaded = classifiers[0] as Classifier;
    this.size = classifiers.length;
  }

  private get first(): Classifier {
    return this.members[0]?.classifier ?? this.loaded;
  }

  /** How many workers the pool runs (a crashed one counts while its replacement loads). */
  readonly size: number;

  protected get report(): BackendReport {
    return this.first.backendReport;
  }

  get metadata(): InceptionModelMetadata {
    return this.first.metadata;
  }

  /** The first worker's load; the others read the model from the cache it filled. */
  get timings(): LoadTimings {
    return this.first.timings;
  }

  classify(image: ImageInput, options?: ClassifyOptions): Promise<Prediction[]>;
  classify(images: readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[][]>;
  classify(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<Prediction[] | Prediction[][]> {
    return this.spread(input, (c, images) => c.classify(images, options), (c, image) => c.classify(image, options));
  }

  logits(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  logits(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  logits(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    return this.spread(input, (c, images) => c.logits(images, options), (c, image) => c.logits(image, options));
  }

  embed(image: ImageInput, options?: CallOptions): Promise<Float32Array>;
  embed(images: readonly ImageInput[], options?: CallOptions): Promise<Float32Array[]>;
  embed(input: ImageInput | readonly ImageInput[], options?: CallOptions): Promise<Float32Array | Float32Array[]> {
    return this.spread(input, (c, images) => c.embed(images, options), (c, image) => c.embed(image, options));
  }

  analyze(image: ImageInput, options?: ClassifyOptions): Promise<ImageAnalysis>;
  analyze(images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]>;
  analyze(input: ImageInput | readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis | ImageAnalysis[]> {
    return this.spread(input, (c, images) => c.analyze(images, options), (c, image) => c.analyze(image, options));
  }

  features<N extends string>(image: ImageInput, names: readonly N[], options?: CallOptions): Promise<Record<N, FeatureMap>> {
    return this.onLeastBusy(1, (c) => c.features(image, names, options));
  }

  /** classifyMany keeps POOL_DEFAULTS.concurrencyPerWorker images per worker in flight unless told otherwise. */
  protected override get manyConcurrency(): number {
    return POOL_DEFAULTS.concurrencyPerWorker * this.size;
  }

  /** Terminates every worker (and any replacement still loading, once it loads). Idempotent; later calls throw E_DISPOSED. */
  dispose(): void {
    this.disposed = true;
    for (const { classifier } of this.members) classifier.dispose();
  }

  /** One image to the least busy worker; a batch split over the workers, results in input order. */
  private async spread<R>(
    input: ImageInput | readonly ImageInput[],
    batch: (classifier: Classifier, images: readonly ImageInput[]) => Promise<R[]>,
    one: (classifier: Classifier, image: ImageInput) => Promise<R>,
  ): Promise<R | R[]> {
    if (!Array.isArray(input)) return this.onLeastBusy(1, (c) => one(c, input as ImageInput));
    this.assertUsable();
    const parts = split(input as readonly ImageInput[], this.size);
    const results = await Promise.all(parts.map((part) => this.onLeastBusy(part.length, (c) => batch(c, part))));
    return results.flat();
  }

  private async onLeastBusy<R>(images: number, call: (classifier: Classifier) => Promise<R>): Promise<R> {
    this.assertUsable();
    // Picked synchronously when a worker is up, so calls made together see each other's load.
    const member = this.members.length > 0 ? this.leastBusy() : await this.restarted();
    member.busy += images;
    try {
      return await call(member.classifier);
    } catch (error) {
      if (crashed(error)) this.replace(member);
      throw error;
    } finally {
      member.busy -= images;
    }
  }

  private leastBusy(): Member {
    return this.members.reduce((best, m) => (m.busy < best.busy ? m : best));
  }

  /** While every worker is being replaced: the least busy once one is back. */
  private async restarted(): Promise<Member> {
    while (this.members.length === 0) {
      if (this.restarts.size === 0) {
        const why = this.restartError instanceof Error ? `: ${this.restartError.message}` : '';
        throw new RuntimeError('E_WORKER', `every worker of this pool crashed and none could be restarted${why}; call loadWorkerPool() again`);
      }
      await Promise.race(this.restarts);
      this.assertUsable();
    }
    return this.leastBusy();
  }

  /** Drops a crashed worker (once, however many of its calls failed) and loads another in its place. */
  private replace(member: Member): void {
    const index = this.members.indexOf(member);
    if (index < 0 || this.disposed) return;
    this.members.splice(index, 1);
    member.classifier.dispose();
    if (!this.restart) return;
    const restarting: Promise<void> = this.restart().then(
      (classifier) => {
        if (this.disposed) classifier.dispose();
        else this.members.push({ classifier, busy: 0 });
      },
      (error: unknown) => void (this.restartError = error),
    );
    this.restarts.add(restarting);
    void restarting.finally(() => this.restarts.delete(restarting));
  }

  private assertUsable(): void {
    if (this.disposed) throw new RuntimeError('E_DISPOSED', 'this worker pool was disposed; call loadWorkerPool() again to get a new one');
  }
}

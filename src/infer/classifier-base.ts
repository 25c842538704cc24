import type { BackendReport } from '../backends/select-backend.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { BackendName } from '../options.js';
import type { Classifier, LoadTimings } from '../classifier.js';
import type { ImageInput } from '../input/image-input.js';
import { classifyManyWith } from '../many/classify-many.js';
import type { ManyOptions, ManyResult } from '../many/many-types.js';

/**
 * What every front door (main-thread classifier, worker classifier, worker pool) answers the
 * same way: which backend runs, why, the model's metadata and labels, and classifyMany.
 */
export abstract class ClassifierBase {
  /** Which backend runs and why; a subclass updates it when a device loss moves the model. */
  protected abstract readonly report: BackendReport;
  abstract readonly metadata: InceptionModelMetadata;
  abstract readonly timings: LoadTimings;

  /** The TF.js backend in use; it can change after a lost GPU device forces a fallback. */
  get backend(): BackendName {
    return this.report.backend;
  }

  get backendReport(): BackendReport {
    return this.report;
  }

  get labels(): readonly string[] {
    return this.metadata.labels;
  }

  /** classifyMany's default concurrency when the caller gives none (the pool raises it per worker). */
  protected get manyConcurrency(): number | undefined {
    return undefined;
  }

  /** A whole library of photos through this front door's classify()/analyze(): see src/many/. */
  classifyMany(inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>, options?: ManyOptions): AsyncIterableIterator<ManyResult> {
    // Every subclass implements Classifier; the base cannot say so without declaring the overloads twice.
    return classifyManyWith(this as unknown as Classifier, inputs, options, this.manyConcurrency);
  }
}

import type { BackendReport } from '../backends/select-backend.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { BackendName } from '../options.js';
import type { LoadTimings } from '../classifier.js';

/**
 * What every front door (main-thread classifier, worker classifier, worker pool) answers the
 * same way: which backend runs, why, and the model's metadata and labels.
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
}

import { selectBackend } from '../backends/select-backend.js';
import type { Classifier, LoadedModel, LoadTimings } from '../classifier.js';
import type { ResolvedLoadOptions } from '../options.js';
import { warmUp } from '../warm-up.js';
import { InferSession } from './infer-session.js';
import { MainThreadClassifier } from './main-thread-classifier.js';
import { uploadModel } from './upload-model.js';

/** The load pipeline: pick a backend, fetch the model, upload it there, warm it up. */
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
  return new MainThreadClassifier(new InferSession(model, report, loaded.artifacts, loaded.metadata, options), timings);
}

import { selectBackend } from '../backends/select-backend.js';
import type { Classifier, LoadedModel, LoadTimings } from '../classifier.js';
import type { ResolvedLoadOptions } from '../options.js';
import { InferSession } from './infer-session.js';
import { MainThreadClassifier } from './main-thread-classifier.js';
import { placeModel } from './place-model.js';

/**
 * The load pipeline: start the first backend that works, fetch the model, then place it on the
 * backend that computes right (self-check) and, for 'auto', fastest (measured once per device),
 * warmed up.
 */
export async function createClassifier(options: ResolvedLoadOptions, load: () => Promise<LoadedModel>): Promise<Classifier> {
  const started = performance.now();
  const first = await selectBackend(options.backend, options);
  const selected = performance.now();
  const loaded = await load();
  const fetched = performance.now();
  const placed = await placeModel(options, loaded, first);
  const done = performance.now();
  const timings: LoadTimings = {
    backendMs: selected - started,
    fetchMs: fetched - selected,
    uploadMs: placed.uploadMs,
    warmupMs: placed.warmupMs,
    measureMs: placed.measureMs,
    totalMs: done - started,
    fromCache: loaded.fromCache,
  };
  return new MainThreadClassifier(new InferSession(placed.model, placed.report, loaded.artifacts, loaded.metadata, options), timings);
}

import { healTrappedBackends, noteBackendTrap } from '../backends/backend-trap.js';
import type { Classifier, LoadedModel } from '../classifier.js';
import type { ResolvedLoadOptions } from '../options.js';
import { abortedAs } from './aborted.js';
import { fetchModel, type FetchModelOptions } from './fetch-model.js';

/**
 * fetchModel with the load options that concern it: the one place that maps them, for every
 * loadClassifier entry (browser, Node). `overrides` replaces what an entry decides itself.
 */
export async function fetchForClassifier(options: ResolvedLoadOptions, overrides: Pick<FetchModelOptions, 'fetch'> = {}): Promise<LoadedModel> {
  const fetched = await fetchModel({
    modelUrl: options.modelUrl,
    cache: options.cache,
    verifyIntegrity: options.verifyIntegrity,
    stallTimeoutMs: options.stallTimeoutMs,
    allowedOrigins: options.allowedOrigins,
    ...(options.signal && { signal: options.signal }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.fetch && { fetch: options.fetch }),
    ...overrides,
  });
  return { artifacts: fetched.artifacts, metadata: fetched.metadata, fromCache: fetched.fromCache, bytes: fetched.bytes };
}

/**
 * Runs a whole load under the app's signal: aborted before, during or just after it, the load
 * rejects with E_ABORTED and leaves nothing loaded (a classifier finished meanwhile is disposed).
 * A backend an earlier model trapped is re-created first, so a bad model cannot break a good one.
 */
export function abortableLoad(options: ResolvedLoadOptions, load: () => Promise<Classifier>): Promise<Classifier> {
  return abortedAs(options.modelUrl, options.signal, async () => {
    healTrappedBackends();
    const classifier = await load().catch((error: unknown) => {
      noteBackendTrap(error);
      throw error;
    });
    if (options.signal?.aborted) {
      classifier.dispose();
      throw options.signal.reason;
    }
    return classifier;
  });
}

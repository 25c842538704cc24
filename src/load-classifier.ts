import { createClassifier, type Classifier } from './classifier.js';
import { fetchModel } from './load/index.js';
import { resolveLoadOptions, type LoadOptions } from './options.js';

/**
 * Loads a converted Inception V3 model and returns a ready, warmed-up classifier.
 *
 * ```ts
 * const classifier = await loadClassifier({ modelUrl: '/models/inception_v3/model.json' });
 * const [top] = await classifier.classify(imageElement); // { index: 281, label: 'tabby, tabby cat', probability: 0.83 }
 * ```
 */
export async function loadClassifier(options: LoadOptions): Promise<Classifier> {
  const resolved = resolveLoadOptions(options);
  return createClassifier(resolved, async () => {
    const fetched = await fetchModel({
      modelUrl: resolved.modelUrl,
      cache: resolved.cache,
      verifyIntegrity: resolved.verifyIntegrity,
      ...(resolved.onProgress && { onProgress: resolved.onProgress }),
      ...(resolved.fetch && { fetch: resolved.fetch }),
    });
    return { artifacts: fetched.artifacts, metadata: fetched.metadata, fromCache: fetched.fromCache, bytes: fetched.bytes };
  });
}

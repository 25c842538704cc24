import type { Classifier } from './classifier.js';
import { createClassifier } from './infer/create-classifier.js';
import { abortableLoad, fetchForClassifier } from './load/load-for-classifier.js';
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
  return abortableLoad(resolved, () => createClassifier(resolved, () => fetchForClassifier(resolved)));
}

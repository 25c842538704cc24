/**
 * inception-webgpu for Node: the same classifier API, loading models from disk or http(s), on
 * the `wasm` backend by default (`cpu`, or `webgpu` through Dawn where a Vulkan GPU exists).
 */
import { createClassifier, type Classifier } from '../classifier.js';
import { abortableLoad, fetchForClassifier } from '../load/load-for-classifier.js';
import { resolveLoadOptions, type BackendPreference, type LoadOptions } from '../options.js';
import { fileFetch, modelLocationToUrl } from './file-fetch.js';
import { installNodeWebGpu } from './install-webgpu.js';

export { decodeImage } from './decode-image.js';
export * from '../index.js';

export interface NodeLoadOptions extends Omit<LoadOptions, 'backend' | 'modelUrl'> {
  /** A model directory, its model.json, or an http(s) URL. */
  readonly model: string;
  /** @default 'wasm' */
  readonly backend?: BackendPreference;
}

export async function loadClassifier(options: NodeLoadOptions): Promise<Classifier> {
  const backend = options.backend ?? 'wasm';
  if (backend === 'webgpu') await installNodeWebGpu();
  const modelUrl = await modelLocationToUrl(options.model);
  // Node has no Cache API or IndexedDB; files on disk need no cache.
  const resolved = resolveLoadOptions({ ...options, modelUrl, backend, cache: false });
  return abortableLoad(resolved, () => createClassifier(resolved, () => fetchForClassifier(resolved, { fetch: options.fetch ?? fileFetch })));
}

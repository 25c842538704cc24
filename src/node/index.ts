/**
 * inception-webgpu for Node: the same classifier API, loading models from disk or http(s), on
 * the `wasm` backend by default (`cpu`, or `webgpu` through Dawn where a Vulkan GPU exists).
 * Images may also be file paths (and file: or http(s) URLs), decoded as PIL decodes them.
 */
import type { Classifier } from '../classifier.js';
import { createClassifier } from '../infer/create-classifier.js';
import { useFileImageDecoder } from '../input/image-input.js';
import { abortableLoad, fetchForClassifier } from '../load/load-for-classifier.js';
import { resolveLoadOptions, type BackendPreference, type LoadOptions } from '../options.js';
import { decodeImageFile } from './decode-image.js';
import { fileFetch, modelLocationToUrl } from './file-fetch.js';
import { installNodeWebGpu } from './install-webgpu.js';

export { decodeImage, decodeRgb } from './decode-image.js';
// For photos too big to hold as one tensor: decodeRgb's bytes, resized a strip of rows at a time (the CLI does this).
export { resizeRowsAndCenterCrop, type PreprocessOptions } from '../preprocess/index.js';
export * from '../index.js';

useFileImageDecoder(decodeImageFile);

export interface NodeLoadOptions extends Omit<LoadOptions, 'backend'> {
  /** A model directory, its model.json, a file: URL or an http(s) URL. */
  readonly modelUrl: string;
  /** @default 'wasm' */
  readonly backend?: BackendPreference;
}

export async function loadClassifier(options: NodeLoadOptions): Promise<Classifier> {
  // Checked before the location is read, so a wrong option is E_BAD_OPTION, not a TypeError.
  const checked = resolveLoadOptions({ ...options, backend: options?.backend ?? 'wasm', cache: false });
  if (checked.backend === 'webgpu') await installNodeWebGpu();
  const modelUrl = await modelLocationToUrl(checked.modelUrl);
  // Node has no Cache API or IndexedDB; files on disk need no cache.
  const resolved = { ...checked, modelUrl };
  return abortableLoad(resolved, () => createClassifier(resolved, () => fetchForClassifier(resolved, { fetch: options.fetch ?? fileFetch })));
}

/** inception-webgpu: Inception V3 image classification in the browser on TF.js. */
export { loadClassifier } from './load-classifier.js';
export { loadWorkerClassifier, type WorkerLoadOptions } from './worker/load-worker-classifier.js';
export { loadWorkerPool, type WorkerPoolOptions } from './worker/load-worker-pool.js';
export type { WorkerPool } from './worker/worker-pool.js';
export { exposeClassifier, type ClassifierEndpoint } from './worker/expose-classifier.js';
export type { ClassifiesMany, ManyOptions, ManyProgress, ManyResult } from './many/many-types.js';
export type { Classifier, FeatureMap, ImageAnalysis, LoadTimings } from './classifier.js';
export type { BackendReport, SkippedBackend } from './backends/select-backend.js';
export type { ImageInput } from './input/image-input.js';
export type { Prediction } from './postprocess/top-k.js';
export { clearModelCache } from './load/clear-model-cache.js';
export {
  AUTO_BACKEND_ORDER,
  CLASSIFY_DEFAULTS,
  LOAD_DEFAULTS,
  MANY_DEFAULTS,
  POOL_DEFAULTS,
  MAX_WASM_THREADS,
  type BackendName,
  type BackendPreference,
  type ClassifyOptions,
  type LoadOptions,
  type LoadProgress,
  type WasmThreads,
} from './options.js';
export {
  ERROR_CODES,
  InceptionError,
  RuntimeError,
  TaggerError,
  isInceptionError,
  type CliErrorCode,
  type ConverterErrorCode,
  type InceptionErrorCode,
  type RuntimeErrorCode,
  type TaggerErrorCode,
} from '../shared/errors.js';
export type { InceptionModelMetadata } from '../shared/model-metadata.js';
export * from './tagger/index.js';

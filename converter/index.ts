/** inception-webgpu/converter: PyTorch Inception V3 weights → TF.js graph model, from code. */
export { convertCheckpoint, CONVERT_DEFAULTS, type ConvertOptions, type ConvertResult, type ModelFormat, type SourceInfo } from './convert.js';
export { convertFile } from './convert-file.js';
export { GRAPH_PASS_NAMES, type GraphPassName } from './graph/passes/graph-passes.js';
export { openCheckpoint } from './read/open-checkpoint.js';
export type { Checkpoint, CheckpointFormat, CheckpointInfo, SourceDType, TensorRecord } from './read/checkpoint-types.js';
export type { LabelsOption } from './model/labels.js';
export type { NormalizationOptions } from './model/normalization.js';
export { downloadToCache, defaultCacheDir, type DownloadOptions, type DownloadResult } from './fetch/download.js';
export {
  OFFICIAL_SOURCES,
  getOfficialSource,
  officialDownloadOptions,
  torchHubHashPrefix,
  type OfficialSource,
  type OfficialSourceId,
} from './fetch/official-sources.js';
export { ConverterError, type ConverterErrorCode } from './errors.js';
export type { WeightDType } from './transform/quantize.js';
export { PACKAGE_VERSION as CONVERTER_VERSION } from '../shared/package-version.js';

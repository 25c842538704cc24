/** inception-webgpu/converter: PyTorch Inception V3 weights → TF.js graph model, from code. */
export { convertCheckpoint, CONVERT_DEFAULTS, type ConvertOptions, type ConvertResult, type SourceInfo } from './convert.js';
export { convertFile } from './convert-file.js';
export { openCheckpoint } from './readers/open-checkpoint.js';
export type { Checkpoint, CheckpointFormat, SourceDType, TensorRecord } from './checkpoint-types.js';
export { downloadToCache, defaultCacheDir, type DownloadOptions, type DownloadResult } from './download.js';
export {
  OFFICIAL_SOURCES,
  getOfficialSource,
  officialDownloadOptions,
  torchHubHashPrefix,
  type OfficialSource,
  type OfficialSourceId,
} from './official-sources.js';
export { ConverterError, type ConverterErrorCode } from './errors.js';
export type { WeightDType } from './quantize.js';
export { CONVERTER_VERSION } from './version.js';

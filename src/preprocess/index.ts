export {
  resizeAndCenterCrop,
  resizeAndCenterCropBatch,
  resizeRowsAndCenterCrop,
  torchvisionResizeGeometry,
  type PreprocessOptions,
  type ResizeCropGeometry,
} from './resize-crop.js';
export { pilBilinearTaps, PIL_WEIGHT_BITS, type ResampleTaps } from './pil-resize-taps.js';

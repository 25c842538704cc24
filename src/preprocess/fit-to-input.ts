import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../shared/errors.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { ResolvedLoadOptions } from '../options.js';
import { resizeAndCenterCrop } from './resize-crop.js';

/** torchvision's resize + center crop, or (preprocess: 'none') a check that the image already fits. */
export function fitToInput(pixels: tf.Tensor3D, metadata: InceptionModelMetadata, preprocess: ResolvedLoadOptions['preprocess']): tf.Tensor3D {
  const { resizeShorterSide, cropSize } = metadata.preprocessing;
  if (preprocess === 'torchvision') return resizeAndCenterCrop(pixels, { resizeTo: resizeShorterSide, cropTo: cropSize });
  const [height, width] = pixels.shape;
  if (height !== cropSize || width !== cropSize) {
    throw new RuntimeError('E_INVALID_INPUT', `with preprocess: 'none' images must be ${cropSize}×${cropSize}, got ${width}×${height}; use preprocess: 'torchvision' to resize and crop`);
  }
  return tf.cast(pixels, 'float32');
}

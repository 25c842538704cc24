import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedAugmentOptions } from './tagger-options.js';

function mirror(pixels: tf.Tensor3D): tf.Tensor3D {
  return tf.reverse(pixels, 1);
}

/** A crop keeping the image's aspect ratio, its size and position drawn from `random`. */
function randomCrop(pixels: tf.Tensor3D, [min, max]: readonly [number, number], random: () => number): tf.Tensor3D {
  const [height, width] = pixels.shape;
  const scale = min + (max - min) * random();
  const cropHeight = Math.max(1, Math.round(height * scale));
  const cropWidth = Math.max(1, Math.round(width * scale));
  const top = Math.floor(random() * (height - cropHeight + 1));
  const left = Math.floor(random() * (width - cropWidth + 1));
  return tf.slice(pixels, [top, left, 0], [cropHeight, cropWidth, 3]);
}

/**
 * The image first, then its mirror image (with `flip`), then `crops` random crops. Every tensor
 * returned is new: the caller disposes them all, and `pixels` stays the caller's. The classifier
 * then resizes each one as usual, so a crop also acts as a zoom.
 */
export function augmentedVariants(pixels: tf.Tensor3D, options: ResolvedAugmentOptions, random: () => number): tf.Tensor3D[] {
  return tf.tidy(() => {
    const variants = [pixels.clone()];
    if (options.flip) variants.push(mirror(pixels));
    for (let i = 0; i < options.crops; i++) {
      const crop = randomCrop(pixels, options.cropScale, random);
      variants.push(options.flip && random() < 0.5 ? mirror(crop) : crop);
    }
    return variants;
  });
}

import * as tf from '@tensorflow/tfjs-core';
import type { Classifier, ImageAnalysis } from '../classifier.js';
import { toPixelTensor, type ImageInput } from '../input/image-input.js';
import type { ClassifyOptions } from '../options.js';
import { augmentedVariants } from './augment.js';
import { ensureBackend } from './ensure-backend.js';
import { seededRandom } from './seeded-random.js';
import type { ResolvedAugmentOptions } from './tagger-options.js';

/** Images per forward pass: batching amortises per-call overhead, and 8 keeps memory modest on big adds. */
const BATCH_SIZE = 8;

/** `run` over `images` in batches of BATCH_SIZE, the results in order. */
async function inBatches<T>(images: readonly ImageInput[], run: (batch: readonly ImageInput[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < images.length; start += BATCH_SIZE) results.push(...(await run(images.slice(start, start + BATCH_SIZE))));
  return results;
}

export function embedImages(classifier: Classifier, images: readonly ImageInput[]): Promise<Float32Array[]> {
  return inBatches(images, (batch) => classifier.embed(batch));
}

/** ImageNet predictions and embeddings of `images`, one forward pass per batch. */
export function analyzeImages(classifier: Classifier, images: readonly ImageInput[], options?: ClassifyOptions): Promise<ImageAnalysis[]> {
  return inBatches(images, (batch) => classifier.analyze(batch, options));
}

/** Each image and its augmented variants (see `augmentedVariants`), one image's variants per forward pass. */
export async function embedAugmented(classifier: Classifier, images: readonly ImageInput[], options: ResolvedAugmentOptions): Promise<Float32Array[]> {
  await ensureBackend();
  const random = seededRandom(options.seed);
  const embeddings: Float32Array[] = [];
  for (const image of images) {
    // No pixel limit here: the unaltered copy goes through the classifier, which applies its own.
    const pixels = await toPixelTensor(image, Number.POSITIVE_INFINITY);
    let variants: tf.Tensor3D[] = [];
    try {
      variants = augmentedVariants(pixels, options, random);
      embeddings.push(...(await classifier.embed(variants)));
    } finally {
      tf.dispose([pixels, ...variants]);
    }
  }
  return embeddings;
}

// The plain SDK inside a worker (no DOM): loads a classifier, then classifies the same pattern
// given as each input type a worker has, and posts back the logits per type.
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier, type ImageInput, type LoadOptions } from 'inception-webgpu';
import { patternPixels } from './pattern.js';

async function inputsOf(pixels: ImageData): Promise<Record<string, ImageInput>> {
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d')?.putImageData(pixels, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return {
    imageData: pixels,
    offscreenCanvas: canvas,
    imageBitmap: await createImageBitmap(canvas),
    blob,
    url: URL.createObjectURL(blob),
    tensor: tf.tensor3d(Int32Array.from(pixels.data), [pixels.height, pixels.width, 4], 'int32'),
  };
}

self.onmessage = async ({ data }: MessageEvent<{ options: LoadOptions; width: number; height: number; seed: number }>) => {
  try {
    const classifier = await loadClassifier(data.options);
    const inputs = await inputsOf(patternPixels(data.width, data.height, data.seed));
    const logits: Record<string, number[]> = {};
    for (const [kind, input] of Object.entries(inputs)) logits[kind] = Array.from(await classifier.logits(input));
    self.postMessage({ backendReport: classifier.backendReport, logits, crossOriginIsolated: self.crossOriginIsolated });
  } catch (error) {
    self.postMessage({ error: `${(error as { code?: string }).code ?? ''} ${String(error)}` });
  }
};

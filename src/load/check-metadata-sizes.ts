import { MODEL_LIMITS } from './model-limits.js';
import { brief, isObject, wrongModel, type JsonObject } from './wrong-model.js';

const isIntIn = (value: unknown, max: number): value is number => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= max;

/**
 * Checks the sizes the runtime builds tensors from (input, resize, crop, classes, feature maps):
 * a hostile 30000-pixel crop would otherwise reach the kernels and can trap the WASM heap.
 */
export function checkMetadataSizes(metadata: JsonObject, url: string): void {
  const input = isObject(metadata.input) ? metadata.input : {};
  const preprocessing = isObject(metadata.preprocessing) ? metadata.preprocessing : {};
  const side = MODEL_LIMITS.imageSide;
  const sides: Array<[string, unknown]> = [
    ['input.height', input.height],
    ['input.width', input.width],
    ['preprocessing.resizeShorterSide', preprocessing.resizeShorterSide],
    ['preprocessing.cropSize', preprocessing.cropSize],
  ];
  for (const [field, value] of sides) {
    if (!isIntIn(value, side)) throw wrongModel(url, `has ${field} ${brief(value)}; it must be a whole number of pixels from 1 to ${side}`);
  }
  const { cropSize, resizeShorterSide } = preprocessing as { cropSize: number; resizeShorterSide: number };
  if (input.channels !== 3 || cropSize > resizeShorterSide || input.height !== cropSize || input.width !== cropSize) {
    throw wrongModel(
      url,
      `crops ${cropSize} pixels from a ${resizeShorterSide}-pixel resize for a ${brief(input.height)}×${brief(input.width)}×${brief(input.channels)} input; ` +
        'the crop must fit the resize and equal the input, which has 3 channels',
    );
  }
  checkVectors(metadata, url);
}

function checkVectors(metadata: JsonObject, url: string): void {
  const max = MODEL_LIMITS.vectorLength;
  if (!isIntIn(metadata.embeddingSize, max)) throw wrongModel(url, `has embeddingSize ${brief(metadata.embeddingSize)}; it must be a whole number from 1 to ${max}`);
  // 0 classes: an embedding-only model (its checkpoint had no fc layer).
  if (metadata.numClasses !== 0 && !isIntIn(metadata.numClasses, max)) {
    throw wrongModel(url, `has numClasses ${brief(metadata.numClasses)}; it must be a whole number from 0 (embedding only) to ${max}`);
  }
  const labels = metadata.labels;
  const labelOk = (label: unknown) => typeof label === 'string' && label.length <= MODEL_LIMITS.labelLength;
  if (!Array.isArray(labels) || labels.length > (metadata.numClasses as number) || !labels.every(labelOk)) {
    throw wrongModel(url, `has labels that are not a list of at most numClasses (${String(metadata.numClasses)}) strings of up to ${MODEL_LIMITS.labelLength} characters`);
  }
  const outputs = isObject(metadata.outputs) ? metadata.outputs : {};
  const features = isObject(outputs.features) ? outputs.features : {};
  for (const [name, shape] of Object.entries(features)) {
    const dims = Array.isArray(shape) ? shape : [];
    if (dims.length !== 3 || !isIntIn(dims[0], MODEL_LIMITS.imageSide) || !isIntIn(dims[1], MODEL_LIMITS.imageSide) || !isIntIn(dims[2], max)) {
      throw wrongModel(url, `gives feature map ${brief(name)} the shape ${brief(shape)}; expected [height, width, channels] within the model's sizes`);
    }
  }
}

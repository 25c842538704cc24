// Type-checked with lib ES2022 and no DOM (tsconfig.json): the package's types must stand on their own.
import * as tf from '@tensorflow/tfjs-core';
import { decodeImage, isInceptionError, loadClassifier, type ImageInput, type InceptionErrorCode } from 'inception-webgpu/node';
import { convertFile, type ConverterErrorCode } from 'inception-webgpu/converter';

const classifier = await loadClassifier({ modelUrl: './model' });
const pixels: tf.Tensor3D = await decodeImage('photo.jpg');
const predictions = await classifier.classify(pixels, { topK: 3 });
const first: number | undefined = predictions[0]?.probability;

// A browser input type still means something without DOM: not `any`.
const input: ImageInput = 'https://example.com/cat.jpg';
// @ts-expect-error a number is not an image
await classifier.classify(42);

try {
  await convertFile('weights.pth', { outDir: 'model' });
} catch (error) {
  if (isInceptionError(error, 'E_FILE_NOT_FOUND')) {
    const code: 'E_FILE_NOT_FOUND' = error.code;
    const converterCode: ConverterErrorCode = code;
    const anyCode: InceptionErrorCode = converterCode;
    console.log(anyCode);
  }
  // @ts-expect-error a misspelt code is a compile error
  if (isInceptionError(error, 'E_FILE_NOT_FUOND')) console.log(error);
}
console.log(first, input);

// `any` would accept everything; the input type must be a real union even without DOM.
type IsAny<T> = 0 extends 1 & T ? true : false;
const imageInputIsAny: IsAny<ImageInput> = false;
console.log(imageInputIsAny);

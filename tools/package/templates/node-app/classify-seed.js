// `node classify-seed.js <model dir> <pixels.bin>`: logits of one raw 299×299 RGB image, as JSON.
// Imports TF.js as the app's own dependency: the package must share it, not bring its own.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from 'inception-webgpu/node';

const [model, pixelsFile] = process.argv.slice(2);
const pixels = Float32Array.from(readFileSync(pixelsFile).subarray(0, 299 * 299 * 3));
const classifier = await loadClassifier({ modelUrl: model, preprocess: 'none', warmup: false });
const image = tf.tensor3d(pixels, [299, 299, 3]);
const logits = await classifier.logits(image);
console.log(JSON.stringify({ backend: classifier.backend, tfjsCore: tf.version_core, logits: Array.from(logits) }));
image.dispose();
classifier.dispose();

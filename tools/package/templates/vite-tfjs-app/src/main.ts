// An app that already uses TF.js (the umbrella package) and hands the classifier its own tensors.
import * as tf from '@tensorflow/tfjs';
import { loadClassifier } from 'inception-webgpu';

const classifier = await loadClassifier({ modelUrl: '/models/inception_v3/model.json' });
const photo: tf.Tensor3D = tf.browser.fromPixels(document.querySelector('canvas')!);
console.log(await classifier.classify(photo, { topK: 2 }));

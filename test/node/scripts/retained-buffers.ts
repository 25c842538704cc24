/**
 * Run with `node --expose-gc --import tsx`: loads the classifier from the model directory in
 * argv[2] on wasm, classifies once, and prints the ArrayBuffer bytes still alive after a full GC
 * as JSON, with the logits' length to show the model still works.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '../../../src/node/index.js';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc');
const classifier = await loadClassifier({ modelUrl: process.argv[2] ?? '', backend: 'wasm', preprocess: 'none' });
const logits = await classifier.logits(tf.zeros([299, 299, 3]) as tf.Tensor3D);
collect();
collect();
console.log(JSON.stringify({ arrayBufferMB: process.memoryUsage().arrayBuffers / 1e6, logits: logits.length }));

import * as tf from '@tensorflow/tfjs-core';
import { registerBackend } from '../backends/register-backend.js';

/**
 * A classifier in a worker (loadWorkerClassifier) leaves this thread without any TF.js backend.
 * What the tagger computes here (a linear head, augmentation crops) is small: the CPU backend
 * does. A thread that has backends keeps its own choice.
 */
export async function ensureBackend(): Promise<void> {
  if (Object.keys(tf.engine().registryFactory).length === 0) await registerBackend('cpu');
}

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { fileSystemModelHandler, resolveModelJson } from './model-file-handler.js';

/** Switches TF.js in this test process to `name` ('cpu' or 'wasm'), failing loudly if it can't. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<typeof tf> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
  return tf;
}

/** The stock tf.loadGraphModel on a converted model directory. */
export async function loadModelDir(dir: string): Promise<GraphModel> {
  return loadGraphModel(fileSystemModelHandler(await resolveModelJson(dir)));
}

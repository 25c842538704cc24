import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { installNodeWebGpu } from '../../src/node/install-webgpu.js';
import { fileSystemModelHandler, resolveModelJson } from './model-file-handler.js';

export type NodeBackend = 'cpu' | 'wasm' | 'webgpu';

/**
 * Switches TF.js in this process to `name`, failing loudly if it can't. 'webgpu' runs on Dawn
 * and needs an adapter (lavapipe's environment here, see lavapipe.ts).
 */
export async function useBackend(name: NodeBackend): Promise<typeof tf> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (name === 'webgpu') {
    // tfjs-backend-webgpu registers itself on import only if navigator.gpu exists by then.
    await installNodeWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
  return tf;
}

/** The stock tf.loadGraphModel on a converted model directory. */
export async function loadModelDir(dir: string): Promise<GraphModel> {
  return loadGraphModel(fileSystemModelHandler(await resolveModelJson(dir)));
}

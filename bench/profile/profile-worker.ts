/**
 * Profiles the converted model in its own Node process, on one backend (see op-profile.ts):
 *   node --import tsx bench/profile/profile-worker.ts '{"backend":"wasm","model":"<dir>","batch":1,"rounds":3}'
 * Prints the OpProfile as JSON on its last stdout line.
 */
import * as tf from '@tensorflow/tfjs-core';
import { installNodeWebGpu } from '../../src/node/install-webgpu.js';
import { loadModelDir } from '../../test/helpers/tf-node.js';
import { profileModel } from './op-profile.js';

export interface ProfileRequest {
  readonly backend: 'wasm' | 'cpu' | 'webgpu';
  readonly model: string;
  readonly batch: number;
  readonly rounds: number;
}

export async function useBackend(backend: ProfileRequest['backend']): Promise<void> {
  if (backend === 'webgpu') {
    await installNodeWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  } else {
    await import(`@tensorflow/tfjs-backend-${backend}`);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' failed to initialise`);
}

async function main(request: ProfileRequest): Promise<void> {
  await useBackend(request.backend);
  const model = await loadModelDir(request.model);
  const profile = await profileModel(model, { batch: request.batch, rounds: request.rounds, output: 'logits' });
  process.stdout.write(`\n${JSON.stringify(profile)}\n`);
  // Dawn keeps the event loop alive.
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(JSON.parse(process.argv[2] ?? '{}') as ProfileRequest);

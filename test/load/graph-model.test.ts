/** The full converted (synthetic-weights) Inception V3, fetched over HTTP and run by stock TF.js. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { io, type Tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchModel } from '../../src/load/fetch-model.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { loadModelDir, useBackend } from '../../tools/models/tf-node.js';
import { startModelServer, type ModelServer } from './model-server.js';

let dir: string;
let server: ModelServer;

beforeAll(async () => {
  dir = await syntheticModelDir('float32');
  server = await startModelServer();
  for (const name of readdirSync(dir)) server.files.set(`/model/${name}`, readFileSync(join(dir, name)));
});

afterAll(() => server?.close());

it('fetched artifacts load with tf.loadGraphModel(io.fromMemory()) and match the model read from disk', async () => {
  const tf = await useBackend('wasm');
  const fetched = await fetchModel({ modelUrl: `${server.origin}/model/`, cache: false, verifyIntegrity: true });
  expect(fetched.metadata.weights.shards).toHaveLength(23);
  expect(fetched.bytes).toBe(fetched.metadata.weights.totalBytes);

  const fromNetwork = await loadGraphModel(io.fromMemory(fetched.artifacts));
  const fromDisk = await loadModelDir(dir);
  const pixels = tf.randomUniform([1, 299, 299, 3], 0, 255, 'float32', 7);
  const logitsName = fetched.metadata.outputs.logits;
  const networkLogits = (fromNetwork.execute(pixels, logitsName) as Tensor).dataSync();
  const diskLogits = (fromDisk.execute(pixels, logitsName) as Tensor).dataSync();
  expect(networkLogits).toHaveLength(1000);
  expect(networkLogits.every(Number.isFinite) && Math.max(...networkLogits) > Math.min(...networkLogits)).toBe(true);
  expect(Buffer.from(networkLogits.buffer).equals(Buffer.from(diskLogits.buffer))).toBe(true);
});

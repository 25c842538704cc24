import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { io } from '@tensorflow/tfjs-core';

/** `dir` or `dir/model.json` → the model.json path. */
export async function resolveModelJson(path: string): Promise<string> {
  const info = await stat(path);
  return info.isDirectory() ? join(path, 'model.json') : path;
}

/**
 * A TF.js IOHandler that reads a graph model from the local filesystem, so Node can use the
 * stock `tf.loadGraphModel(handler)` on a converted model without tfjs-node.
 */
export function fileSystemModelHandler(modelJsonPath: string): io.IOHandler {
  return { load: () => readModelArtifacts(modelJsonPath) };
}

/** A converted model's topology, weight specs and weight bytes, read from model.json and its shards. */
export async function readModelArtifacts(modelJsonPath: string): Promise<io.ModelArtifacts> {
  const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as io.ModelJSON;
  const dir = dirname(modelJsonPath);
  return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const paths = manifest.flatMap((group) => group.paths);
    const shards = await Promise.all(paths.map(async (p) => new Uint8Array(await readFile(join(dir, p))).buffer));
    return [io.getWeightSpecs(manifest), shards];
  });
}

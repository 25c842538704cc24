import { readFileSync } from 'node:fs';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { SELF_CHECK_TOLERANCE, type SelfCheckReference } from '../../shared/model-metadata.js';
import { PROBE_ID, PROBE_SIZE, probePixels } from '../../shared/probe-image.js';
import type { WeightDType } from '../transform/quantize.js';
import type { ModelJson } from '../write/write-model.js';

/** The embedding values kept: 16, spread over the 2048, enough to see a wrong pooled feature. */
const EMBEDDING_SAMPLE = Array.from({ length: 16 }, (_, i) => i * 128 + 7);

function shardBytes(dir: string, modelJson: ModelJson): ArrayBuffer {
  const parts = modelJson.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path))));
  const joined = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined.buffer;
}

/**
 * Runs the written model (its shards as written, quantization included) on the probe with TF.js's
 * WASM backend in this process: XNNPACK in float32, the CPU path the runtime's own tests hold to
 * 2e-5 of PyTorch, and 0.5 s where TF.js's pure-JS CPU backend takes 15 s. The backend that was
 * active before is restored.
 */
export async function goldenOutputs(dir: string, modelJson: ModelJson, dtype: WeightDType): Promise<SelfCheckReference> {
  const tf = await import('@tensorflow/tfjs-core');
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  await import('@tensorflow/tfjs-backend-wasm');
  const previous = tf.engine().backendName as string | null;
  if (!(await tf.setBackend('wasm'))) throw new Error("TF.js's wasm backend failed to start, so the self-check's golden outputs cannot be computed");
  const metadata = modelJson.userDefinedMetadata.inceptionWebgpu;
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights) as tfTypes.io.WeightsManifestEntry[],
      weightData: shardBytes(dir, modelJson),
    }),
  );
  const input = tf.tensor4d(probePixels(), [1, PROBE_SIZE, PROBE_SIZE, 3]);
  try {
    const { logits, embedding } = metadata.outputs;
    const names = logits === undefined ? [embedding] : [embedding, logits];
    const executed = model.execute(input, names);
    // A single requested output comes back unwrapped.
    const outputs = Array.isArray(executed) ? executed : [executed];
    const [embeddingValues, logitValues] = await Promise.all(outputs.map((t) => t.data()));
    tf.dispose(outputs);
    return {
      probe: PROBE_ID,
      ...(logitValues && { logits: Array.from(logitValues) }),
      embedding: { indices: EMBEDDING_SAMPLE, values: EMBEDDING_SAMPLE.map((i) => embeddingValues?.[i] as number) },
      tolerance: SELF_CHECK_TOLERANCE[dtype],
      computedWith: `TF.js ${tf.version_core} wasm (float32)`,
    };
  } finally {
    input.dispose();
    model.dispose();
    if (previous && previous !== 'wasm') await tf.setBackend(previous);
  }
}

/**
 * A benchmarked stack in its own Node process (run by process-contender.ts): argv[2] is a
 * StackSpec as JSON, whose `model` is a converted model directory (ours) or an .onnx file (ORT).
 * Requests come on stdin and replies go to stdout, one marked line each.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { loadClassifier } from '../../src/node/index.js';
import { decodeLine, encodeLine } from './line-protocol.js';
import { oursStack } from './ours-stack.js';
import { ortStack } from './ort-stack.js';
import { serve, type StackApi, type StackRequest, type StackSpec } from './protocol.js';
import { trackPeaks } from './track-peaks.js';

const SEED_A = new URL('../../test/fixtures/seedA/images_u8_nhwc_4x299x299x3.bin', import.meta.url);
const MB = 1e6;

const seedA = async (): Promise<Uint8Array> => new Uint8Array(await readFile(SEED_A));

async function createStack(spec: StackSpec & { model: string }): Promise<StackApi> {
  if (spec.stack === 'ours') {
    return oursStack(spec, async (options) => {
      const classifier = await loadClassifier({ modelUrl: spec.model, ...options, preprocess: 'none' });
      return { classifier, loads: [{ source: 'disk', timings: classifier.timings }] };
    }, seedA);
  }
  const ort = await import('onnxruntime-web');
  return ortStack(ort, spec, { source: 'disk', read: async () => new Uint8Array(await readFile(spec.model)) }, seedA);
}

const spec = JSON.parse(process.argv[2] ?? '{}') as StackSpec & { model: string };
const api = trackPeaks(await createStack(spec), {
  jsHeapMB: () => process.memoryUsage().heapUsed / MB,
  // maxRSS is in KiB.
  rssPeakMB: () => (process.resourceUsage().maxRSS * 1024) / MB,
});
for await (const line of createInterface({ input: process.stdin })) {
  const request = decodeLine(line) as StackRequest | undefined;
  if (request) process.stdout.write(encodeLine(await serve(api, request)));
}
// Dawn (webgpu) keeps the event loop alive after stdin closes.
process.exit(0);

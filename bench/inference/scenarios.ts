/**
 * The scenarios of `npm run bench`: where each stack runs and how many iterations each batch size
 * gets. Backends that emulate a GPU on the CPU take seconds to minutes per pass, so they get few
 * iterations and skip large batches; the `note` says so in the results.
 */
import type { BrowserMode } from '../../tools/browser/browser.js';
import { lavapipeEnv } from '../../tools/gpu/lavapipe.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { browserEnvironment, openBrowser, pageContender } from './browser-contender.js';
import type { Contender } from './contender.js';
import { onnxModel } from './onnx-model.js';
import type { StackSpec } from './protocol.js';
import { openScenario, type Scenario } from './scenario.js';
import { nodeContender, pytorchContender, type StackDef } from './worker-contenders.js';

type ScenarioBase = Omit<Scenario, 'open'>;

interface BrowserSetup {
  readonly mode: BrowserMode;
  /** Serve COOP/COEP, which WASM threads need. */
  readonly isolated: boolean;
  readonly stacks: readonly StackDef[];
  /** Add PyTorch on the CPU, 2 threads, under this name. */
  readonly anchor?: string;
}

function browserScenario(base: ScenarioBase, { mode, isolated, stacks, anchor }: BrowserSetup): Scenario {
  return {
    ...base,
    open: async () => {
      const session = await openBrowser(mode, isolated);
      const contenders: Contender[] = [];
      try {
        const environment = await browserEnvironment(session);
        for (const stack of stacks) {
          const contender = await pageContender(session, stack.name, stack.role, stack.spec);
          contenders.push(stack.parityWithOurs === undefined ? contender : { ...contender, parityWithOurs: stack.parityWithOurs });
        }
        if (anchor) contenders.push(pytorchContender(anchor, ['--threads', '2']));
        return openScenario(environment, contenders, session.close);
      } catch (error) {
        await openScenario({}, contenders, session.close).close();
        throw error;
      }
    },
  };
}

function nodeScenario(base: ScenarioBase, stacks: readonly StackDef[], env: () => Promise<Record<string, string>> = async () => ({})): Scenario {
  return {
    ...base,
    open: async () => {
      const vars = await env();
      const model = await syntheticModelDir('float32');
      const contenders = stacks.map((stack) => nodeContender(stack, stack.spec.stack === 'ours' ? model : onnxModel(), vars));
      const environment = { node: process.version, ...(vars.VK_DRIVER_FILES && { vulkanDriver: vars.VK_DRIVER_FILES }) };
      return openScenario(environment, contenders, async () => undefined);
    },
  };
}

const ours = (backend: StackSpec['backend'], threads?: number): StackDef => ({
  name: `ours: TF.js ${backend}`,
  role: 'ours',
  spec: { stack: 'ours', backend, ...(threads !== undefined && { threads }) },
});
const ort = (backend: StackSpec['backend'], threads?: number): StackDef => ({
  name: `ORT-web ${backend}`,
  role: 'peer',
  spec: { stack: 'ort', backend, ...(threads !== undefined && { threads }) },
});
/** fp32 on both sides, different kernels: measured ≈ 2e-5, so 1e-3 only fails a different function. */
const LITERT_PARITY = 1e-3;
/** LiteRT.js on `convert --format tflite` of the same checkpoint: the same function as ours, so its logits must match. */
const litert = (backend: 'wasm' | 'webgpu', threads?: number): StackDef => ({
  name: `LiteRT.js ${backend}`,
  role: 'peer',
  spec: { stack: 'litert', backend, ...(threads !== undefined && { threads }) },
  parityWithOurs: LITERT_PARITY,
});
/** Ours with TF.js's own conv kernels only (webgpuKernels: 'stock'), as a peer: ours / it is what our kernels win. */
const stockWebGpu: StackDef = {
  name: 'TF.js webgpu, stock kernels',
  role: 'peer',
  spec: { stack: 'ours', backend: 'webgpu', webgpuKernels: 'stock' },
  parityWithOurs: LITERT_PARITY,
};
/** Ours with our conv kernels on every conv (webgpuKernels: 'ours'): what the tuned plan reaches when its budget covers every shape. */
const oursEverywhereWebGpu: StackDef = {
  name: 'TF.js webgpu, our kernels on every conv',
  role: 'peer',
  spec: { stack: 'ours', backend: 'webgpu', webgpuKernels: 'ours' },
  parityWithOurs: LITERT_PARITY,
};
const PYTORCH_CPU = 'PyTorch CPU';

const LITERT_BATCH_NOTE = 'LiteRT.js runs the batch-1 model.tflite once per image, so its batches 8 and 32 are 8 and 32 inferences in a row';

const FULL_PLAN = [
  { batch: 1, rounds: 15, warmup: 2 },
  { batch: 8, rounds: 4, warmup: 1 },
  { batch: 32, rounds: 2, warmup: 1 },
];

export const SCENARIOS: readonly Scenario[] = [
  browserScenario(
    {
      id: 'browser-wasm-threads',
      title: 'Chromium, WASM, 2 threads (cross-origin isolated)',
      plan: FULL_PLAN,
      note: `ours asks for 2 threads with the wasmThreads load option: TF.js alone starts half of navigator.hardwareConcurrency, 1 on this 2-core machine; ${LITERT_BATCH_NOTE}`,
    },
    { mode: 'wasm-only', isolated: true, stacks: [ours('wasm', 2), ort('wasm', 2), litert('wasm', 2)], anchor: PYTORCH_CPU },
  ),
  browserScenario(
    {
      id: 'browser-wasm',
      title: 'Chromium, WASM, 1 thread (not cross-origin isolated)',
      plan: [{ batch: 1, rounds: 8, warmup: 1 }, { batch: 8, rounds: 2, warmup: 1 }, { batch: 32, rounds: 1, warmup: 0 }],
      note: `fewer rounds than with threads (single-threaded passes are slow); batch 32: one round, no warm-up round; ${LITERT_BATCH_NOTE}`,
      peakBatch: 8,
    },
    { mode: 'wasm-only', isolated: false, stacks: [ours('wasm', 1), ort('wasm', 1), litert('wasm', 1)] },
  ),
  browserScenario(
    {
      id: 'browser-webgl',
      title: 'Chromium, WebGL',
      emulated: 'SwiftShader: headless Chromium without a GPU renders WebGL on the CPU',
      plan: [{ batch: 1, rounds: 3, warmup: 0 }, { batch: 8, rounds: 1, warmup: 0 }],
      note: 'emulated GPU, seconds per image: 3 rounds at batch 1, 1 at batch 8 (its first, shader compilation included), batch 32 not measured; no ORT peer (its WebGL EP is deprecated)',
      peakBatch: 1,
    },
    { mode: 'webgl', isolated: false, stacks: [ours('webgl')] },
  ),
  browserScenario(
    {
      id: 'browser-webgpu',
      title: 'Chromium, WebGPU',
      emulated: 'SwiftShader: Chromium’s software WebGPU adapter, running on the CPU',
      plan: [{ batch: 1, rounds: 4, warmup: 0 }],
      note: 'emulated GPU, seconds to tens of seconds per image: 4 rounds at batch 1 only (the load already ran it once), batches 8 and 32 and peak memory not measured; ours is the default webgpuKernels: \'tuned\' (tuned at its network load, the plan read from the cache at the second), beside TF.js\'s stock kernels and ours on every conv (webgpuKernels: \'ours\')',
      peakBatch: null,
    },
    { mode: 'webgpu', isolated: false, stacks: [ours('webgpu'), stockWebGpu, oursEverywhereWebGpu, ort('webgpu'), litert('webgpu')] },
  ),
  nodeScenario(
    {
      id: 'node-wasm',
      title: 'Node, WASM, 1 thread (TF.js has no WASM threads in Node; ORT’s default on 2 cores is 1)',
      plan: [{ batch: 1, rounds: 8, warmup: 1 }, { batch: 8, rounds: 2, warmup: 1 }, { batch: 32, rounds: 1, warmup: 0 }],
      note: 'single-threaded: 8 rounds at batch 1, 2 at batch 8, 1 at batch 32 (no warm-up round)',
      peakBatch: 8,
    },
    [ours('wasm'), ort('wasm', 1)],
  ),
  nodeScenario(
    {
      id: 'node-cpu',
      title: 'Node, TF.js cpu backend (plain JavaScript)',
      plan: [{ batch: 1, rounds: 2, warmup: 0 }],
      note: 'tens of seconds per image: 2 rounds at batch 1 only; batches 8 and 32 and peak memory not measured',
      peakBatch: null,
    },
    [ours('cpu')],
  ),
  nodeScenario(
    {
      id: 'node-webgpu',
      title: 'Node, WebGPU through Dawn',
      emulated: 'lavapipe: Mesa’s software Vulkan driver, running on the CPU (scripts/setup-lavapipe.sh)',
      plan: [{ batch: 1, rounds: 3, warmup: 0 }, { batch: 8, rounds: 1, warmup: 0 }],
      note: 'emulated GPU, seconds per image: 3 rounds at batch 1, 1 at batch 8 (its first, shader compilation included), batch 32 not measured',
      peakBatch: 1,
    },
    [ours('webgpu')],
    lavapipeEnv,
  ),
];

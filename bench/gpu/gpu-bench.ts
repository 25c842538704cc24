/**
 * The GPU run, in one call on the GPU machine (see docs/benchmarks.md): generates the synthetic
 * weights and converts them there (nothing large is carried), then measures our Node + Dawn
 * WebGPU path against PyTorch CUDA fp32, eager and as a CUDA graph, interleaved in the same call:
 * warm latency at batch 1, throughput at batch 8 and 32, cold start (load from disk + first
 * inference in a fresh process), and each stack's logits against PyTorch's CPU reference; TF.js
 * setting variants run interleaved with our default (see VARIANTS), and so do TF.js's own conv
 * kernels (webgpuKernels 'stock'; ours tunes at each load, bounded by webgpuTuningBudgetMs) and
 * ours with f16 kernels among the candidates (webgpuShaderF16). Then
 * profiles our kernels per op with timestamp queries, at batch 1 and 32 (bench/profile).
 * Writes gpu-bench.json, gpu-bench.md, gpu-profile.json and gpu-profile.md to $OUT (or
 * .cache/gpu-bench).
 *
 *   bash .gpu/run.sh node --import tsx bench/gpu/gpu-bench.ts [--quick]
 *
 * --quick runs a few rounds (to try it on lavapipe here). Without CUDA, PyTorch runs on the CPU
 * and the report says so. Env: PYTHON (default python3), OUT.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ROOT } from '../../tools/paths.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import type { BatchPlan } from '../inference/interleave.js';
import { runScenario } from '../inference/run-scenario.js';
import { openScenario, type Scenario } from '../inference/scenario.js';
import { nodeContender, pytorchContender } from '../inference/worker-contenders.js';
import { machine } from '../machine.js';
import { runProfile } from '../profile/run-profiles.js';
import { gpuReport } from '../report/gpu-report.js';
import { profileReport, type LabelledProfile } from '../report/profile-report.js';

const quick = process.argv.includes('--quick');
const OUT = process.env.OUT ?? `${ROOT}.cache/gpu-bench`;
const PYTHON = process.env.PYTHON ?? 'python3';

// A GPU pass takes milliseconds, so many rounds are cheap; warm-up rounds absorb pipeline creation per batch size.
const PLAN: readonly BatchPlan[] = quick
  ? [{ batch: 1, rounds: 2, warmup: 0 }, { batch: 8, rounds: 1, warmup: 0 }]
  : [{ batch: 1, rounds: 100, warmup: 10 }, { batch: 8, rounds: 50, warmup: 5 }, { batch: 32, rounds: 30, warmup: 3 }];

function cudaAvailable(): boolean {
  try {
    const probe = 'import torch; print(torch.cuda.is_available())';
    return execFileSync(PYTHON, ['-c', probe], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'True';
  } catch {
    return false;
  }
}

const started = performance.now();
const model = await syntheticModelDir('float32');
const prepareSeconds = (performance.now() - started) / 1000;
const cuda = cudaAvailable();

/**
 * TF.js WebGPU settings worth deciding on a real GPU, each timed interleaved with our default
 * (its ratio reads "ours / variant"):
 * - conv and matmul kernels tile the output 32×32 unless that gives at most 8 workgroups, and
 *   then switch to smaller tiles, split-K or im2col; at batch 1 Inception's Mixed-block convs get
 *   12–80, few for a GPU with 132 SMs: try higher thresholds;
 * - TF.js ends its compute pass and submits every 15 dispatches; an inference is about 126.
 */
const VARIANTS: readonly Readonly<Record<string, number>>[] = quick
  ? [{ WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL: 256 }]
  : [
      { WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL: 64 },
      { WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL: 256 },
      { WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: 1000 },
    ];

const variant = (flags: Readonly<Record<string, number>>) =>
  nodeContender(
    {
      name: `variant: TF.js webgpu, ${Object.entries(flags).map(([flag, value]) => `${flag}=${value}`).join(', ')}`,
      role: 'peer',
      spec: { stack: 'ours', backend: 'webgpu', tfjsFlags: flags },
    },
    model,
  );

const torch = cuda ? { label: 'PyTorch CUDA', args: ['--device', 'cuda'] } : { label: 'PyTorch CPU (no CUDA here)', args: ['--device', 'cpu', '--threads', '2'] };

const scenario: Scenario = {
  id: 'gpu',
  title: `Node + Dawn WebGPU vs ${torch.label}, fp32`,
  plan: PLAN,
  ...(quick && { note: 'QUICK run (--quick): a few rounds, no batch 32; not a measurement' }),
  open: async () => {
    const contenders = [
      nodeContender({ name: 'ours: TF.js webgpu (Dawn)', role: 'ours', spec: { stack: 'ours', backend: 'webgpu' } }, model),
      pytorchContender(`${torch.label} eager`, torch.args, PYTHON),
      ...(cuda ? [pytorchContender(`${torch.label} graph`, [...torch.args, '--cuda-graph'], PYTHON)] : []),
      ...VARIANTS.map(variant),
      // Ours tunes its conv kernels at load (Node has no plan cache): this is TF.js's kernels alone.
      nodeContender({ name: 'variant: TF.js webgpu, webgpuKernels=stock', role: 'peer', spec: { stack: 'ours', backend: 'webgpu', webgpuKernels: 'stock' } }, model),
      // f16 conv kernels timed too where the GPU has shader-f16 (its load reports what became of them).
      nodeContender({ name: 'variant: TF.js webgpu, webgpuShaderF16', role: 'peer', spec: { stack: 'ours', backend: 'webgpu', webgpuShaderF16: true } }, model),
    ];
    return openScenario({ node: process.version, prepareSeconds, cuda }, contenders, async () => undefined);
  },
};

const result = await runScenario(scenario);
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/gpu-bench.json`, `${JSON.stringify(result, null, 2)}\n`);
const report = gpuReport(result);
writeFileSync(`${OUT}/gpu-bench.md`, report);
console.log(`\n${report}\nwritten to ${OUT}/gpu-bench.{json,md}`);

const profileBatches = quick ? [{ batch: 1, rounds: 1 }] : [{ batch: 1, rounds: 5 }, { batch: 32, rounds: 3 }];
const profiles: LabelledProfile[] = [];
for (const { batch, rounds } of profileBatches) {
  profiles.push({ label: 'Node + Dawn, TF.js webgpu', profile: await runProfile({ backend: 'webgpu', model, batch, rounds }) });
}
const profileText = profileReport(machine(), profiles);
writeFileSync(`${OUT}/gpu-profile.json`, `${JSON.stringify(profiles, null, 2)}\n`);
writeFileSync(`${OUT}/gpu-profile.md`, profileText);
console.log(`\n${profileText}\nwritten to ${OUT}/gpu-profile.{json,md}`);
// Child processes are closed; Dawn or a stray handle must not keep this one alive.
process.exit(0);

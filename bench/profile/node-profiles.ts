/** `npm run bench -- profile`: per-op profiles of the converted model in Node, on WASM and on lavapipe's WebGPU. */
import { lavapipeEnv } from '../../tools/gpu/lavapipe.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { machine } from '../machine.js';
import { profileReport, type LabelledProfile } from '../report/profile-report.js';
import { writeResult } from '../results.js';
import { runProfile } from './run-profiles.js';

export async function runNodeProfiles(quick: boolean): Promise<void> {
  const model = await syntheticModelDir('float32');
  const profiles: LabelledProfile[] = [
    { label: 'Node, TF.js wasm (1 thread)', profile: await runProfile({ backend: 'wasm', model, batch: 1, rounds: quick ? 1 : 5 }) },
    {
      label: 'Node, TF.js webgpu on lavapipe (emulated GPU: kernel costs on the CPU, not GPU speed)',
      profile: await runProfile({ backend: 'webgpu', model, batch: 1, rounds: quick ? 1 : 3 }, await lavapipeEnv()),
    },
  ];
  writeResult('profile.json', `${JSON.stringify({ machine: machine(), profiles }, null, 2)}\n`);
  writeResult('profile.md', profileReport(machine(), profiles));
  for (const { label, profile } of profiles) console.log(`${label}: ${profile.kernels} kernels, ${profile.kernelMs.toFixed(1)} ms`);
}

/**
 * Profiles the converted model in its own Node process, on one backend (see op-profile.ts):
 *   node --import tsx bench/profile/profile-worker.ts '{"backend":"wasm","model":"<dir>","batch":1,"rounds":3}'
 * Prints the OpProfile as JSON on its last stdout line.
 */
import { loadModelDir, useBackend, type NodeBackend } from '../../tools/models/tf-node.js';
import { profileModel } from './op-profile.js';

export interface ProfileRequest {
  readonly backend: NodeBackend;
  readonly model: string;
  readonly batch: number;
  readonly rounds: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as ProfileRequest;
await useBackend(request.backend);
const model = await loadModelDir(request.model);
const profile = await profileModel(model, { batch: request.batch, rounds: request.rounds, output: 'logits' });
process.stdout.write(`\n${JSON.stringify(profile)}\n`);
// Dawn keeps the event loop alive.
process.exit(0);

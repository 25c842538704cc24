/** Runs profile-worker.ts once per target, each in a fresh process, and collects the profiles. */
import { execFile } from 'node:child_process';
import { ROOT } from '../../tools/paths.js';
import type { OpProfile } from './op-profile.js';
import type { ProfileRequest } from './profile-worker.js';

const WORKER = `${ROOT}bench/profile/profile-worker.ts`;

export function runProfile(request: ProfileRequest, env: Readonly<Record<string, string>> = {}): Promise<OpProfile> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', WORKER, JSON.stringify(request)];
    execFile(process.execPath, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (error || !last.startsWith('{')) {
        reject(new Error(`profiling ${request.backend} at batch ${request.batch} failed: ${error?.message ?? ''}\n${stderr.trim().split('\n').slice(-15).join('\n')}`));
        return;
      }
      resolve(JSON.parse(last) as OpProfile);
    });
  });
}

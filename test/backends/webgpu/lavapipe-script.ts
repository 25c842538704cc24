import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { lavapipeEnv } from '../../../tools/gpu/lavapipe.js';
import { ROOT } from '../../../tools/paths.js';

/**
 * Runs one of ./scripts/ in a child process on Dawn over lavapipe (its environment must be set
 * before the process starts) and returns its stdout's JSON lines, parsed.
 */
export async function runOnLavapipe(script: string, args: readonly string[] = []): Promise<unknown[]> {
  const env = { ...process.env, ...(await lavapipeEnv()) };
  const path = `${ROOT}test/backends/webgpu/scripts/${script}`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path, ...args], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as unknown);
}

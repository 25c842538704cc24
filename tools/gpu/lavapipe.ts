import { execFile } from 'node:child_process';
import { ROOT } from '../paths.js';

/** `export NAME=VALUE` lines from scripts/setup-lavapipe.sh; VALUE is bash `printf %q` quoted. */
function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) {
    if (name && value !== undefined) env[name] = value.replace(/\\(.)/g, '$1');
  }
  return env;
}

/**
 * Sets up Mesa 25's lavapipe (software Vulkan) under .cache/lavapipe — downloaded once, reused
 * after — and returns the environment that points Dawn at it. Throws, never skips, when it cannot.
 */
export function lavapipeEnv(): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    execFile('bash', [`${ROOT}scripts/setup-lavapipe.sh`], { cwd: ROOT }, (error, stdout, stderr) => {
      const env = parseExports(stdout);
      if (error || !env.VK_DRIVER_FILES || !env.LD_LIBRARY_PATH) {
        const why = stderr.trim() || error?.message || 'no VK_DRIVER_FILES/LD_LIBRARY_PATH printed';
        reject(new Error(`scripts/setup-lavapipe.sh could not set up lavapipe for the Node WebGPU test: ${why}\n` +
          'It needs apt-get with access to Debian bookworm-backports (a Debian 12 machine with network), and Debian\'s libvulkan1.'));
        return;
      }
      resolve(env);
    });
  });
}

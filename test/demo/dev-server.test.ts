// `npm run demo` is the model step, then `vite` with whatever flags follow `--`.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../tools/paths.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the dev server as `npm run demo -- <flags>` would; resolves with its output once it listens or exits. */
function startVite(flags: string[]): { child: ChildProcess; ready: Promise<{ output: string; exitCode: number | null }> } {
  const child = spawn(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, ...flags], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<{ output: string; exitCode: number | null }>((resolve) => {
    const collect = (chunk: Buffer) => {
      // Vite colours its output when CI is set, splitting 'Local:' with escape codes.
      output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      if (output.includes('Local:')) resolve({ output, exitCode: null });
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (exitCode) => resolve({ output, exitCode }));
  });
  return { child, ready };
}

describe('demo: dev server', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill();
  });

  it('runs the model step, then vite, which takes the flags after --', () => {
    const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.demo).toBe('tsx scripts/prepare-model.ts --if-missing && vite');
    expect(scripts.model).toBe('tsx scripts/prepare-model.ts');
    expect(scripts.build).toMatch(/build:demo/);
  });

  it('serves the demo on --port and --host, cross-origin isolated, with real 404s; --strictPort refuses a taken port', async () => {
    const port = await freePort();
    const flags = ['--port', String(port), '--strictPort', '--host', '127.0.0.1'];
    const server = startVite(flags);
    children.push(server.child);
    expect((await server.ready).output).toContain(`http://127.0.0.1:${port}/`);

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await page.text()).toContain('data-testid="dropzone"');
    // The page falls back to the synthetic model on a 404: an SPA fallback would hide it.
    expect((await fetch(`http://127.0.0.1:${port}/models/no-such-model/model.json`)).status).toBe(404);

    const second = startVite(flags);
    children.push(second.child);
    const refused = await second.ready;
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toMatch(new RegExp(`Port ${port} is (already )?in use`));
  });
});

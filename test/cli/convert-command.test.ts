/** `inception-webgpu convert` as a user runs it: exit codes, one-line errors, downloads. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStateDict } from '../../converter/synthetic/synthetic-state-dict.js';
import { writeSafetensors } from '../../tools/checkpoints/checkpoint-writers.js';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
let weights: string;
let weightsSha: string;
let server: Server;
let baseUrl: string;
let requests = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-cli-'));
  weights = join(dir, 'model.safetensors');
  writeSafetensors(weights, syntheticStateDict());
  const bytes = readFileSync(weights);
  weightsSha = createHash('sha256').update(bytes).digest('hex');
  server = createServer((req, res) => {
    requests++;
    if (req.url !== '/mirror/model.safetensors') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('inception-webgpu convert', () => {
  it('--help documents every option', async () => {
    const { code, stdout } = await runCli(['convert', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--out', '--from', '--dtype', '--shard-mb', '--force', '--url', '--sha256', '--cache-dir', 'torchvision', 'timm', 'float16', 'uint8', '--labels', '--normalization', 'imagenet', '--mean', '--std', '--format', 'tflite', '--graph-passes', 'fuse-sibling-convs', '--skip-self-check']) {
      expect(stdout).toContain(flag);
    }
  });

  it('converts a local file and reports what it wrote', async () => {
    const out = join(dir, 'local');
    const { code, stdout } = await runCli(['convert', weights, '--out', out, '--dtype', 'float16', '--shard-mb', '8']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote .*model\.json \+ 6 shard\(s\), 47\.7 MB float16/);
    expect(readdirSync(out).filter((f) => f.endsWith('.bin'))).toHaveLength(6);
  });

  it('--format tflite writes one model.tflite (a TFLite FlatBuffer) and says so', async () => {
    const out = join(dir, 'tflite');
    const { code, stdout } = await runCli(['convert', weights, '--out', out, '--format', 'tflite']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote .*model\.tflite, 95\.4 MB float32, 1000 classes/);
    expect(readdirSync(out)).toEqual(['model.tflite']);
    expect(readFileSync(join(out, 'model.tflite')).subarray(4, 8).toString('latin1')).toBe('TFL3');
  });

  it('applies the graph passes named by --graph-passes, and refuses an unknown one with E_BAD_ARGUMENT', async () => {
    const out = join(dir, 'fused');
    expect((await runCli(['convert', weights, '--out', out, '--graph-passes', 'reorder-pool-branches,fuse-sibling-convs'])).code).toBe(0);
    const ops = (JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { modelTopology: { node: { op: string }[] } }).modelTopology.node.map((n) => n.op);
    // 9 four-head blocks and Mixed_7a's two heads: 38 slices; the 4 nested concats stay.
    expect(ops.filter((op) => op === 'Slice')).toHaveLength(38);
    expect(ops.filter((op) => op === 'ConcatV2')).toHaveLength(15);
    const bad = await runCli(['convert', weights, '--out', join(dir, 'never'), '--graph-passes', 'fuse-everything']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/E_BAD_ARGUMENT: unknown graph pass 'fuse-everything'; use any of reorder-pool-branches, fuse-sibling-convs, flatten-concats/);
  });

  it('prints one actionable line and exits 1 on a bad file', async () => {
    const { code, stderr, stdout } = await runCli(['convert', join(dir, 'nope.pth'), '--out', join(dir, 'never')]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^inception-webgpu: E_FILE_NOT_FOUND: .*nope\.pth/);
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['convert', weights], ['convert', weights, '--out', dir, '--dtype', 'int4'], ['convert', weights, '--out', dir, '--format', 'onnx'], ['convert', weights, '--out', dir, '--format', 'tflite', '--dtype', 'float16'], ['convert', '--bogus'], ['frobnicate']]) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('see --help');
    }
  });

  it('--from downloads once (verified), then converts from the cache without a request', async () => {
    const cache = join(dir, 'cache');
    const url = `${baseUrl}/mirror/model.safetensors`;
    const args = ['convert', '--from', 'timm', '--url', url, '--sha256', weightsSha, '--cache-dir', cache, '--force'];
    const first = await runCli([...args, '--out', join(dir, 'dl1')]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`downloaded ${join(cache, 'model.safetensors')}`);
    const before = requests;
    const second = await runCli([...args, '--out', join(dir, 'dl2')]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('using cached');
    expect(requests).toBe(before);
    const meta = (d: string) => JSON.parse(readFileSync(join(dir, d, 'model.json'), 'utf8')).userDefinedMetadata.inceptionWebgpu;
    expect(meta('dl1').source.sha256).toBe(weightsSha);
    expect(meta('dl2').weights.sha256).toBe(meta('dl1').weights.sha256);
  });

  it('--from with a wrong --sha256 fails with E_HASH_MISMATCH and caches nothing', async () => {
    const cache = join(dir, 'cache-bad');
    const { code, stderr } = await runCli(['convert', '--from', 'torchvision', '--url', `${baseUrl}/mirror/model.safetensors`, '--sha256', '0'.repeat(64), '--cache-dir', cache, '--out', join(dir, 'dl-bad')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^inception-webgpu: E_HASH_MISMATCH: /);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
    expect(existsSync(join(dir, 'dl-bad'))).toBe(false);
  });
});

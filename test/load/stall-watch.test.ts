import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchModel, type FetchModelOptions } from '../../src/load/index.js';
import { rejectsWith } from './expect-error.js';
import { fakeModel, type FakeModel } from './fake-model.js';
import { startModelServer, type ModelServer } from './model-server.js';

let server: ModelServer;
let model: FakeModel;

beforeEach(async () => {
  server = await startModelServer();
  model = fakeModel();
  server.serve(model);
});

afterEach(() => server.close());

const STALL_MS = 300;
const shardPath = '/model/group1-shard2of3.bin';
const load = (extra: Partial<FetchModelOptions> = {}) =>
  fetchModel({ modelUrl: server.modelUrl, cache: false, verifyIntegrity: true, stallTimeoutMs: STALL_MS, ...extra });

/** Rejects with E_TIMEOUT naming `url`, soon after the stall began (not after some other, longer timer). */
async function expectStall(url: string): Promise<void> {
  const start = performance.now();
  const error = await rejectsWith(load(), 'E_TIMEOUT');
  expect(error.message).toContain(url);
  expect(error.message).toMatch(/for 0\.3 s: the server stalled.*stallTimeoutMs/);
  expect(performance.now() - start).toBeLessThan(STALL_MS + 2000);
}

describe('a stalled server ends the load with E_TIMEOUT naming the URL', () => {
  it('before its headers', async () => {
    server.handlers.set('/model/model.json', () => {}); // never answers
    await expectStall(server.modelUrl);
  });

  it('in the middle of model.json', async () => {
    const text = JSON.stringify(model.modelJson);
    server.handlers.set('/model/model.json', (_req, res) => {
      res.writeHead(200, { 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, 1000));
    });
    await expectStall(server.modelUrl);
  });

  it('in the middle of a shard', async () => {
    server.handlers.set(shardPath, (_req, res) => res.writeHead(200, { 'content-length': 200_000 }).write(Buffer.alloc(10)));
    await expectStall(`${server.origin}${shardPath}`);
  });

  it('but a slow server that keeps sending is not stalled: each chunk restarts the timer', async () => {
    const shard = model.shards.get('group1-shard2of3.bin')!;
    server.handlers.set(shardPath, (_req, res) => {
      res.writeHead(200, { 'content-length': shard.length });
      const parts = 8; // one part every STALL_MS / 2: the whole shard takes 4 × STALL_MS
      let sent = 0;
      const next = () => {
        const end = Math.round(((sent + 1) * shard.length) / parts);
        res.write(shard.subarray(Math.round((sent * shard.length) / parts), end));
        if (++sent < parts) setTimeout(next, STALL_MS / 2);
        else res.end();
      };
      next();
    });
    const fetched = await load();
    expect(fetched.bytes).toBe(model.totalBytes);
  });
});

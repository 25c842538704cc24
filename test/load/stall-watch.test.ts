import { describe, expect, it } from 'vitest';
import { fetchModel, type FetchModelOptions } from '../../src/load/fetch-model.js';
import { rejectsWith } from './expect-error.js';
import { serveFakeModelEachTest } from './model-server.js';

const ctx = serveFakeModelEachTest();

const STALL_MS = 300;
const shardPath = '/model/group1-shard2of3.bin';
const load = (extra: Partial<FetchModelOptions> = {}) =>
  fetchModel({ modelUrl: ctx.server.modelUrl, cache: false, verifyIntegrity: true, stallTimeoutMs: STALL_MS, ...extra });

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
    ctx.server.handlers.set('/model/model.json', () => {}); // never answers
    await expectStall(ctx.server.modelUrl);
  });

  it('in the middle of ctx.model.json', async () => {
    const text = JSON.stringify(ctx.model.modelJson);
    ctx.server.handlers.set('/model/model.json', (_req, res) => {
      res.writeHead(200, { 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, 1000));
    });
    await expectStall(ctx.server.modelUrl);
  });

  it('in the middle of a shard', async () => {
    ctx.server.handlers.set(shardPath, (_req, res) => res.writeHead(200, { 'content-length': 200_000 }).write(Buffer.alloc(10)));
    await expectStall(`${ctx.server.origin}${shardPath}`);
  });

  it('but a slow server that keeps sending is not stalled: each chunk restarts the timer', async () => {
    const shard = ctx.model.shards.get('group1-shard2of3.bin')!;
    ctx.server.handlers.set(shardPath, (_req, res) => {
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
    expect(fetched.bytes).toBe(ctx.model.totalBytes);
  });
});

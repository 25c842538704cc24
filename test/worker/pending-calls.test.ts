import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../shared/errors.js';
import type { LoadProgress } from '../../src/options.js';
import { PendingCalls } from '../../src/worker/pending-calls.js';

describe('PendingCalls', () => {
  it('routes replies arriving out of order to their own calls', async () => {
    const pending = new PendingCalls();
    const a = pending.add();
    const b = pending.add();
    expect(a.id).not.toBe(b.id);
    pending.deliver({ type: 'result', id: b.id, value: 'b' });
    pending.deliver({ type: 'result', id: a.id, value: 'a' });
    expect((await a.reply).value).toBe('a');
    expect((await b.reply).value).toBe('b');
    expect(pending.size).toBe(0);
  });

  it('passes progress to the call that asked for it and keeps the call pending', async () => {
    const pending = new PendingCalls();
    const seen: LoadProgress[] = [];
    const call = pending.add((p) => seen.push(p));
    const progress = { loadedBytes: 10, totalBytes: 100, fromCache: false };
    pending.deliver({ type: 'progress', id: call.id, progress });
    expect(seen).toEqual([progress]);
    expect(pending.size).toBe(1);
    pending.deliver({ type: 'result', id: call.id, value: undefined });
    await call.reply;
  });

  it('rejects an error reply with the rebuilt RuntimeError', async () => {
    const pending = new PendingCalls();
    const call = pending.add();
    pending.deliver({ type: 'error', id: call.id, error: { name: 'RuntimeError', message: 'gone', code: 'E_DEVICE_LOST' } });
    const error = await call.reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('E_DEVICE_LOST');
  });

  it('rejectAll settles every pending call; late replies are dropped', async () => {
    const pending = new PendingCalls();
    const calls = [pending.add(), pending.add()];
    const reason = new RuntimeError('E_WORKER', 'crashed');
    pending.rejectAll(reason);
    for (const call of calls) await expect(call.reply).rejects.toBe(reason);
    expect(() => pending.deliver({ type: 'result', id: calls[0]?.id ?? 0, value: 1 })).not.toThrow();
    expect(pending.size).toBe(0);
  });

  it('reject(id) settles only that call', async () => {
    const pending = new PendingCalls();
    const a = pending.add();
    const b = pending.add();
    pending.reject(a.id, new Error('not sent'));
    await expect(a.reply).rejects.toThrow('not sent');
    expect(pending.size).toBe(1);
    pending.deliver({ type: 'result', id: b.id, value: 2 });
    expect((await b.reply).value).toBe(2);
  });
});

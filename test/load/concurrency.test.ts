import { describe, expect, it } from 'vitest';
import { mapBounded, withAbortScope } from '../../src/load/concurrency.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapBounded', () => {
  it('runs at most `limit` tasks at once and keeps results in input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([30, 5, 20, 1, 10, 2, 8], 3, new AbortController(), async (ms) => {
      peak = Math.max(peak, ++running);
      await tick(ms);
      running--;
      return ms * 2;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([60, 10, 40, 2, 20, 4, 16]);
  });

  it('after a failure, aborts, starts nothing new, and rejects only once in-flight tasks settled', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const settled: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4], 2, controller, async (i) => {
      started.push(i);
      if (i === 0) throw new Error('boom');
      await tick(20);
      settled.push(i);
    });
    await expect(run).rejects.toThrow('boom');
    expect(controller.signal.aborted).toBe(true);
    expect(started).toEqual([0, 1]);
    expect(settled).toEqual([1]);
  });
});

describe('withAbortScope', () => {
  it('aborts its controller when the outer signal aborts', async () => {
    const outer = new AbortController();
    let inner: AbortSignal | undefined;
    await withAbortScope(outer.signal, async (controller) => {
      inner = controller.signal;
      outer.abort(new Error('stop'));
    });
    expect(inner?.aborted).toBe(true);
    expect(inner?.reason).toEqual(new Error('stop'));
  });
});

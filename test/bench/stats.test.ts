import { describe, expect, it } from 'vitest';
import { interleave } from '../../bench/inference/interleave.js';
import { median, pairedRatio, percentile, summarize } from '../../bench/stats.js';

describe('benchmark statistics', () => {
  it('interpolates percentiles between order statistics', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarises latency as p50, p95, min and images per second at the median', () => {
    expect(summarize([100, 200, 300], 8)).toEqual({ p50Ms: 200, p95Ms: 290, minMs: 100, imagesPerSecond: 40 });
  });

  it('pairs ratios round by round, so a slow spell that hits both sides cancels', () => {
    // Round 3 ran while the machine was busy: both sides doubled.
    expect(pairedRatio([100, 100, 200], [50, 50, 100])).toBe(2);
    expect(() => pairedRatio([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('interleave', () => {
  it('runs warm-up rounds untimed, then alternates the order every round', async () => {
    const calls: string[] = [];
    const fake = (name: string, ms: number) => ({
      run: async (batch: number) => {
        calls.push(`${name}${batch}`);
        return ms;
      },
    });
    const samples = await interleave([fake('a', 1), fake('b', 2)], { batch: 8, rounds: 3, warmup: 1 });
    expect(calls).toEqual(['a8', 'b8', 'a8', 'b8', 'b8', 'a8', 'a8', 'b8']);
    expect(samples).toEqual([[1, 1, 1], [2, 2, 2]]);
  });
});

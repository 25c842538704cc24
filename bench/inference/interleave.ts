import type { StackApi } from './protocol.js';

export interface BatchPlan {
  readonly batch: number;
  /** Timed rounds; in each, every contender runs once. */
  readonly rounds: number;
  /** Untimed rounds first: a new batch size compiles new shaders and grows buffers. */
  readonly warmup: number;
}

/**
 * Runs the contenders' iterations alternately, one each per round, reversing the order every
 * other round so that neither side always follows the other. Returns samples per contender, in
 * round order, so that sample i of each was taken in the same round.
 */
export async function interleave(apis: readonly Pick<StackApi, 'run'>[], plan: BatchPlan): Promise<number[][]> {
  for (let round = 0; round < plan.warmup; round++) {
    for (const api of apis) await api.run(plan.batch);
  }
  const samples = apis.map((): number[] => []);
  const forward = apis.map((_, i) => i);
  const backward = [...forward].reverse();
  for (let round = 0; round < plan.rounds; round++) {
    for (const i of round % 2 === 0 ? forward : backward) samples[i]?.push(await (apis[i] as Pick<StackApi, 'run'>).run(plan.batch));
  }
  return samples;
}

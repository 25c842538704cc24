/** The bench's guard that a peer on our converter's output (LiteRT.js) times the same function. */
import { describe, expect, it } from 'vitest';
import type { Contender } from '../../bench/inference/contender.js';
import { checkAgainstOurs, type Loaded } from '../../bench/inference/run-scenario.js';

const contender = (name: string, role: Contender['role'], parityWithOurs?: number) =>
  ({ name, role, ...(parityWithOurs !== undefined && { parityWithOurs }) }) as Contender;
const loaded = (logits: number[]) => ({ logits, parity: { maxAbsDiff: 0, top1: true } }) as unknown as Loaded;

describe('checkAgainstOurs', () => {
  const contenders = [contender('ours', 'ours'), contender('ORT-web', 'peer'), contender('LiteRT.js', 'peer', 1e-3)];

  it('records the |Δ| of peers with a tolerance and leaves the others alone', () => {
    const checked = checkAgainstOurs(contenders, [loaded([1, 2, 3]), loaded([9, 9, 9]), loaded([1, 2.0005, 3])]);
    expect(checked[0]?.parityWithOurs).toBeUndefined();
    expect(checked[1]?.parityWithOurs).toBeUndefined();
    expect(checked[2]?.parityWithOurs?.tolerance).toBe(1e-3);
    expect(checked[2]?.parityWithOurs?.maxAbsDiff).toBeCloseTo(5e-4, 9);
  });

  it('fails the scenario beyond the tolerance, and on NaN', () => {
    expect(() => checkAgainstOurs(contenders, [loaded([1, 2, 3]), loaded([1, 2, 3]), loaded([1, 2.01, 3])])).toThrow(/LiteRT\.js disagrees with ours: max \|Δlogit\| 1\.00e-2 > 0\.001/);
    expect(() => checkAgainstOurs(contenders, [loaded([1, 2, 3]), loaded([1, 2, 3]), loaded([1, Number.NaN, 3])])).toThrow(/disagrees/);
  });
});

/** The check every pass test makes: the rewritten graph computes what the plain one computes. */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { InceptionGraph } from '../../converter/graph/build-graph.js';
import { maxAbsDiff } from '../../tools/reference/logit-compare.js';
import { runGraph } from './run-graph.js';
import { MINI_INPUT_SHAPE } from './mini-graph.js';

/** float32 on the cpu backend; only summation order may differ. */
export const PASS_TOLERANCE = 1e-5;

export async function expectSameOutput(before: InceptionGraph, after: InceptionGraph, output: string): Promise<void> {
  const x = tf.randomUniform(MINI_INPUT_SHAPE, -1, 1, 'float32', 7);
  const [expected, got] = [await runGraph(before, 'x', x, output), await runGraph(after, 'x', x, output)];
  x.dispose();
  expect(got.length).toBe(expected.length);
  expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(PASS_TOLERANCE);
}

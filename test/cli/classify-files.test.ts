/** The CLI's classifyMany runner (cli/classify-files.ts) over a fake classifier: order, per-file errors, bounded crops, the bar. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { RuntimeError, type Classifier, type ImageInput } from '../../src/node/index.js';
import { classifyManyWith } from '../../src/many/classify-many.js';
import { classifyFiles } from '../../cli/classify-files.js';
import type { Outcome } from '../../cli/image-batch.js';

/** A classifier whose top class is the tensor's first value; 'fail' tensors (value 99) throw. */
function fakeClassifier(): Classifier {
  const classify = async (image: ImageInput) => {
    const [value = 0] = await (image as tf.Tensor3D).data();
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (value === 99) throw new RuntimeError('E_INVALID_INPUT', 'the model refused it');
    return [{ index: value, label: `class ${value}`, probability: 1 }];
  };
  const fake = { classify, analyze: classify } as unknown as Classifier;
  return Object.assign(fake, { classifyMany: (inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>, options: object) => classifyManyWith(fake, inputs, options) });
}

describe('classifyFiles', () => {
  it('yields every file in order, prepare and model failures in place, with at most 2 crops alive', async () => {
    await tf.setBackend('cpu');
    const files = ['1.jpg', 'missing.jpg', '2.jpg', 'refused.jpg', '3.jpg', 'corrupt.jpg'];
    let alive = 0;
    let maxAlive = 0;
    const prepare = async (file: string) => {
      if (!/^\d|refused/.test(file)) return new RuntimeError('E_DECODE_FAILED', `could not decode ${file}`);
      alive++;
      maxAlive = Math.max(maxAlive, alive);
      const tensor = tf.fill([2, 2, 3], file === 'refused.jpg' ? 99 : Number(file[0]), 'int32') as tf.Tensor3D;
      const dispose = tensor.dispose.bind(tensor);
      return Object.assign(tensor, { dispose: () => (alive--, dispose()) });
    };
    const writes: string[] = [];
    const run = classifyFiles({ topK: 1 }, (result) => result.predictions[0]?.label);
    const outcomes: Outcome<string | undefined>[] = [];
    for await (const outcome of run(fakeClassifier(), files, prepare, { isTTY: true, write: (text) => writes.push(text) })) outcomes.push(outcome);
    expect(outcomes.map((o) => ('error' in o ? `${o.file} ${o.error.code}` : `${o.file} ${o.value}`))).toEqual([
      '1.jpg class 1',
      'missing.jpg E_DECODE_FAILED',
      '2.jpg class 2',
      'refused.jpg E_INVALID_INPUT',
      '3.jpg class 3',
      'corrupt.jpg E_DECODE_FAILED',
    ]);
    expect(maxAlive).toBeLessThanOrEqual(2);
    expect(alive).toBe(0);
    expect(writes.at(-1)).toMatch(/^\rclassify \[#{20}\] 100% 6\/6 images [\d.]+ images\/s\x1b\[K\n$/);
  });
});

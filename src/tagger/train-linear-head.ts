import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from './ensure-backend.js';
import type { LinearHead } from './linear-head.js';
import { seededRandom } from './seeded-random.js';
import type { ResolvedTrainOptions, TrainProgress } from './tagger-options.js';
import { concat } from '../../shared/concat-vectors.js';

/** Normalised embeddings with their label's index in `labels`. */
export interface TrainingSet {
  readonly labels: readonly string[];
  readonly inputs: readonly Float32Array[];
  readonly targets: readonly number[];
}

interface Model {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  readonly weights: tf.Variable;
  readonly bias: tf.Variable;
  readonly optimizer: tf.Optimizer;
}

/** setTimeout rather than requestAnimationFrame: a progress bar can paint, and a background tab keeps training. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function shuffled(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** One Adam step on a batch; returns [summed cross-entropy, correct count] from before the step. */
function step(model: Model, batch: number[]): tf.Tensor1D {
  return tf.tidy(() => {
    const x = tf.gather(model.x, batch);
    const y = tf.gather(model.y, batch);
    const logits = tf.add(tf.matMul(x, model.weights), model.bias);
    // The closed-form gradient of mean softmax cross-entropy, (softmax − one-hot) / batch, so
    // training needs no registered gradient kernels (tfjs-core alone ships none).
    const dLogits = tf.div(tf.sub(tf.softmax(logits), y), batch.length);
    model.optimizer.applyGradients({ [model.weights.name]: tf.matMul(x, dLogits, true, false), [model.bias.name]: tf.sum(dLogits, 0) });
    const loss = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits))));
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), 'float32'));
    return tf.stack([loss, correct]) as tf.Tensor1D;
  });
}

async function epoch(model: Model, count: number, options: ResolvedTrainOptions, random: () => number): Promise<{ loss: number; accuracy: number }> {
  const order = shuffled(count, random);
  const totals = tf.tidy(() => {
    let sum = tf.zeros([2]);
    for (let start = 0; start < count; start += options.batchSize) sum = tf.add(sum, step(model, order.slice(start, start + options.batchSize)));
    return sum;
  });
  const [loss = 0, correct = 0] = await totals.data();
  totals.dispose();
  return { loss: loss / count, accuracy: correct / count };
}

/**
 * Fits a softmax head with Adam on the current backend. The weights start at zero (the problem
 * is convex, so nothing is lost) and the batch order comes from `seed`: the same examples and
 * options give the same head on a given backend.
 */
export async function trainLinearHead(set: TrainingSet, options: ResolvedTrainOptions): Promise<{ head: LinearHead; final: TrainProgress }> {
  await ensureBackend();
  const count = set.inputs.length;
  const size = set.inputs[0]?.length ?? 0;
  const classes = set.labels.length;
  const model: Model = {
    x: tf.tensor2d(concat(set.inputs), [count, size]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(set.targets), 'int32'), classes), 'float32')) as tf.Tensor2D,
    // In tidy, or the zero tensors the variables start from would outlive them.
    weights: tf.tidy(() => tf.variable(tf.zeros([size, classes]))),
    bias: tf.tidy(() => tf.variable(tf.zeros([classes]))),
    optimizer: tf.train.adam(options.learningRate),
  };
  const random = seededRandom(options.seed);
  try {
    let final: TrainProgress = { epoch: 0, epochs: options.epochs, loss: Number.NaN, accuracy: 0 };
    for (let e = 1; e <= options.epochs; e++) {
      final = { epoch: e, epochs: options.epochs, ...(await epoch(model, count, options, random)) };
      options.onProgress?.(final);
      await yieldToEventLoop();
    }
    const weights = (await model.weights.data()) as Float32Array;
    const bias = (await model.bias.data()) as Float32Array;
    return { head: { labels: [...set.labels], weights, bias }, final };
  } finally {
    model.optimizer.dispose();
    tf.dispose([model.x, model.y, model.weights, model.bias]);
  }
}

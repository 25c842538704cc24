import { softmax } from '../postprocess/top-k.js';

/**
 * A softmax layer over L2-normalised embeddings: `weights` is [embeddingSize × labels.length],
 * row-major, plus one bias per label. `labels` are the tags it was trained on, in column order.
 */
export interface LinearHead {
  readonly labels: readonly string[];
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/**
 * The head's probabilities for one normalised embedding. Plain JavaScript: a few thousand
 * multiply-adds cost less than a GPU round trip, and a saved head reproduces them exactly.
 */
export function headProbabilities(head: LinearHead, embedding: Float32Array): Float32Array {
  const classes = head.bias.length;
  const logits = Float64Array.from(head.bias);
  for (let d = 0; d < embedding.length; d++) {
    const value = embedding[d] ?? 0;
    for (let c = 0; c < classes; c++) logits[c] = (logits[c] ?? 0) + value * (head.weights[d * classes + c] ?? 0);
  }
  return softmax(logits);
}

import type { ResolvedTagPredictOptions } from './tagger-options.js';

export interface TagPrediction {
  readonly label: string;
  /** kNN: the tag's similarity-weighted share of the k nearest examples' votes. linear: the head's softmax. */
  readonly probability: number;
}

/** Labels by probability (equal ones in label order); at most topK, none below threshold. */
export function rankTags(labels: readonly string[], probabilities: Float32Array, options: ResolvedTagPredictOptions): TagPrediction[] {
  const p = (i: number) => probabilities[i] ?? 0;
  const candidates = labels.map((_, i) => i).filter((i) => p(i) >= options.threshold);
  candidates.sort((a, b) => p(b) - p(a) || a - b);
  return candidates.slice(0, options.topK).map((i) => ({ label: labels[i] ?? '', probability: p(i) }));
}

import { RuntimeError } from '../../shared/errors.js';
import type { ResolvedClassifyOptions } from '../options.js';

export interface Prediction {
  /** Class index, 0 … numClasses − 1 (0–999 for ImageNet weights). */
  readonly index: number;
  readonly label: string;
  /** Softmax over all classes, so allowlisting does not inflate probabilities. */
  readonly probability: number;
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? -Infinity);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] ?? 0) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}

/** Turns an allowlist of indices and/or exact labels into class indices, rejecting unknown ones. */
export function resolveAllowlist(allowlist: readonly (number | string)[], labels: readonly string[]): Set<number> {
  const byLabel = new Map(labels.map((label, index) => [label, index]));
  const indices = new Set<number>();
  for (const entry of allowlist) {
    const index = typeof entry === 'number' ? entry : byLabel.get(entry);
    if (index === undefined || !Number.isInteger(index) || index < 0 || index >= labels.length) {
      throw new RuntimeError('E_BAD_OPTION', `allowlist entry ${JSON.stringify(entry)} is not a class index 0–${labels.length - 1} or an exact label such as '${labels[0] ?? ''}'`);
    }
    indices.add(index);
  }
  return indices;
}

/** The best `topK` classes by probability, above `threshold`, within the allowlist. */
export function topPredictions(logits: ArrayLike<number>, labels: readonly string[], options: ResolvedClassifyOptions): Prediction[] {
  const probabilities = softmax(logits);
  const allowed = options.allowlist ? resolveAllowlist(options.allowlist, labels) : undefined;
  const candidates: number[] = [];
  for (let i = 0; i < probabilities.length; i++) {
    if ((allowed === undefined || allowed.has(i)) && (probabilities[i] ?? 0) >= options.threshold) candidates.push(i);
  }
  candidates.sort((a, b) => (probabilities[b] ?? 0) - (probabilities[a] ?? 0) || a - b);
  return candidates.slice(0, options.topK).map((index) => ({ index, label: labels[index] ?? String(index), probability: probabilities[index] ?? 0 }));
}

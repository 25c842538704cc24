import { dot } from './vector.js';

/**
 * How much a closer neighbour outweighs a farther one: each 0.05 less cosine similarity counts
 * e (2.7×) less. Plain majority votes would let a tag with many examples outvote a tag with one
 * exact match (say 3 'receipt' photos against 1 'parcel'); weighting keeps kNN few-shot.
 */
const TEMPERATURE = 0.05;

/**
 * k-nearest-neighbour by cosine similarity (all vectors unit length): the k most similar
 * examples vote for their tags, each with weight exp(similarity / TEMPERATURE); a tag's
 * probability is its share of the votes.
 */
export function knnProbabilities(query: Float32Array, classes: readonly (readonly Float32Array[])[], k: number): Float32Array {
  const neighbours = classes.flatMap((examples, label) => examples.map((example) => ({ label, similarity: dot(query, example) })));
  neighbours.sort((a, b) => b.similarity - a.similarity);
  const voters = neighbours.slice(0, k);
  const nearest = voters[0]?.similarity ?? 0;
  const votes = new Float64Array(classes.length);
  // Relative to the nearest, so exp never overflows.
  for (const { label, similarity } of voters) votes[label] = (votes[label] ?? 0) + Math.exp((similarity - nearest) / TEMPERATURE);
  const total = votes.reduce((sum, v) => sum + v, 0);
  return Float32Array.from(votes, (v) => v / total);
}

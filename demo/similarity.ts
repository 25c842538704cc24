/** cos(a, b) = a·b / (|a||b|); 0 when either vector is all zeros. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cannot compare embeddings of ${a.length} and ${b.length} dimensions`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

export interface Ranked<T> {
  readonly item: T;
  readonly similarity: number;
}

/** `items` by cosine similarity of their embeddings to `reference`, most similar first (ties keep order). */
export function rankBySimilarity<T>(reference: Float32Array, items: readonly T[], embeddingOf: (item: T) => Float32Array): Ranked<T>[] {
  return items.map((item) => ({ item, similarity: cosineSimilarity(reference, embeddingOf(item)) })).sort((a, b) => b.similarity - a.similarity);
}

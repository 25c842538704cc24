/** The vectors one after another in one array (a tagger's rows, a fused conv's biases). */
export function concat(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.reduce((n, v) => n + v.length, 0));
  let offset = 0;
  for (const vector of vectors) {
    out.set(vector, offset);
    offset += vector.length;
  }
  return out;
}

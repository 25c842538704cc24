import type { Engine } from './engine.js';
import type { PhotoRecord } from './photo-record.js';

/** Embeddings being computed, so "Find similar" and the custom tags asking at once share one pass. */
const inFlight = new WeakMap<PhotoRecord, Promise<Float32Array>>();

/**
 * The photo's 2048-d embedding: normally left on the record by its tagging pass (analyze), and
 * computed here, once, for a photo that has none yet.
 */
export function embeddingOf(engine: Engine, record: PhotoRecord): Promise<Float32Array> {
  if (record.embedding) return Promise.resolve(record.embedding);
  const pending = inFlight.get(record) ?? engine.use((classifier) => classifier.embed(record.file));
  inFlight.set(record, pending);
  return pending.then(
    (embedding) => (record.embedding = embedding),
    (error: unknown) => {
      // Not kept: a later use (after a backend switch, say) may succeed.
      inFlight.delete(record);
      throw error;
    },
  );
}

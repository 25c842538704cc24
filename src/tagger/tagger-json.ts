import { float32ToBase64 } from './base64.js';
import type { LinearHead } from './linear-head.js';
import { concat } from '../../shared/concat-vectors.js';

export const TAGGER_FORMAT = 'inception-webgpu-tagger';
export const TAGGER_FORMAT_VERSION = 1;

/** The model a tagger's embeddings come from: a tagger only works with that model. */
export interface TaggerModelIdentity {
  /** The model's `metadata.weights.sha256` (a float16 or uint8 conversion has its own). */
  readonly weightsSha256: string;
  readonly embeddingSize: number;
}

/**
 * What `tagger.toJSON()` returns and `loadTagger` reads: plain JSON, to store or send anywhere.
 * Vectors are base64 of little-endian float32 values (bit-exact, a quarter the size of decimals).
 */
export interface TaggerJSON {
  readonly format: typeof TAGGER_FORMAT;
  readonly formatVersion: number;
  readonly model: TaggerModelIdentity;
  /** Neighbours that vote in kNN mode. */
  readonly k: number;
  /** Each tag's examples: L2-normalised embeddings, one after another. */
  readonly classes: readonly { readonly label: string; readonly embeddings: string }[];
  /** The trained head, one column per class in `classes` order; null when untrained or out of date. */
  readonly head: { readonly weights: string; readonly bias: string } | null;
}

/** A tagger's content, apart from the classifier it runs on. */
export interface TaggerState {
  readonly model: TaggerModelIdentity;
  readonly k: number;
  /** Label → normalised embeddings, in the order tags were first added. */
  readonly classes: ReadonlyMap<string, readonly Float32Array[]>;
  /** Only a head whose labels are exactly the classes'. */
  readonly head: LinearHead | undefined;
}

export function stateToJson(state: TaggerState): TaggerJSON {
  return {
    format: TAGGER_FORMAT,
    formatVersion: TAGGER_FORMAT_VERSION,
    model: { weightsSha256: state.model.weightsSha256, embeddingSize: state.model.embeddingSize },
    k: state.k,
    classes: [...state.classes].map(([label, examples]) => ({ label, embeddings: float32ToBase64(concat(examples)) })),
    head: state.head ? { weights: float32ToBase64(state.head.weights), bias: float32ToBase64(state.head.bias) } : null,
  };
}

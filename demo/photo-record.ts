import type { BackendName, Prediction, TagPrediction } from '../src/index.js';
import type { PhotoCard } from './photo-card.js';

/** One dropped file and what the page learned about it; the page keeps them in drop order. */
export interface PhotoRecord {
  readonly file: File;
  /** The path inside a dropped folder, or the file name. */
  readonly name: string;
  readonly card: PhotoCard;
  /** 'cancelled': the batch was cancelled before this photo's turn. */
  status: 'queued' | 'done' | 'error' | 'cancelled';
  predictions?: Prediction[];
  /** Wall time of its classify call, as the page sees it (worker round trip included). */
  ms?: number;
  backend?: BackendName;
  error?: string;
  /** Filled in on first use: "Find similar", or a trained tagger. */
  embedding?: Float32Array;
  /** The taught tags, best first, while a trained tagger is loaded. */
  customTags?: TagPrediction[];
}

import type { Classifier } from '../classifier.js';
import { TaggerError } from '../../shared/errors.js';
import { EmbeddingTagger, modelOf } from './embedding-tagger.js';
import { parseTaggerJson } from './parse-tagger-json.js';
import type { Tagger } from './tagger.js';
import type { TaggerJSON, TaggerModelIdentity } from './tagger-json.js';
import { resolveK, type TaggerOptions } from './tagger-options.js';

/** A new, empty tagger on `classifier`'s embeddings. */
export function createTagger(classifier: Classifier, options?: TaggerOptions): Tagger {
  return new EmbeddingTagger(classifier, { k: resolveK(options), classes: new Map(), head: undefined });
}

/**
 * Rebuilds a tagger from `tagger.toJSON()` (the object or its JSON text) on the model it was
 * taught on. Throws E_CORRUPT_TAGGER for a damaged or foreign file and E_TAGGER_MISMATCH for
 * another model's tagger.
 */
export function loadTagger(classifier: Classifier, json: TaggerJSON | string): Tagger {
  const state = parseTaggerJson(json);
  checkSameModel(state.model, modelOf(classifier));
  return new EmbeddingTagger(classifier, state);
}

function checkSameModel(saved: TaggerModelIdentity, current: TaggerModelIdentity): void {
  const fix = 'load the model it was taught on, or teach the tags again on this one';
  if (saved.embeddingSize !== current.embeddingSize) {
    throw new TaggerError('E_TAGGER_MISMATCH', `this tagger holds ${saved.embeddingSize}-d embeddings but this classifier's model makes ${current.embeddingSize}-d ones: ${fix}`);
  }
  if (saved.weightsSha256 !== current.weightsSha256) {
    throw new TaggerError(
      'E_TAGGER_MISMATCH',
      `this tagger was taught on another model (weights sha256 ${saved.weightsSha256.slice(0, 12)}…, this classifier's are ${current.weightsSha256.slice(0, 12)}…); embeddings of different weights, or of the same weights in another dtype, do not compare: ${fix}`,
    );
  }
}

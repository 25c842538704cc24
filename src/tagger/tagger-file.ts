import type { Classifier } from '../classifier.js';
import { loadTagger } from './create-tagger.js';
import type { Tagger } from './tagger.js';

/** The tagger as a JSON file, e.g. for a download link: `a.href = URL.createObjectURL(taggerToBlob(tagger))`. */
export function taggerToBlob(tagger: Tagger): Blob {
  return new Blob([JSON.stringify(tagger)], { type: 'application/json' });
}

/** A tagger from a file written by `taggerToBlob` (an `<input type=file>`'s File, or any Blob). */
export async function loadTaggerFile(classifier: Classifier, file: Blob): Promise<Tagger> {
  return loadTagger(classifier, await file.text());
}

/** Custom tags: few-shot transfer learning on Inception's embeddings, in the browser or Node. */
export { createTagger, loadTagger } from './create-tagger.js';
export type { TagPrediction } from './rank-tags.js';
export type { TaggedPrediction, Tagger } from './tagger.js';
export { loadTaggerFile, taggerToBlob } from './tagger-file.js';
export { TAGGER_FORMAT, TAGGER_FORMAT_VERSION, type TaggerJSON, type TaggerModelIdentity } from './tagger-json.js';
export {
  AUGMENT_DEFAULTS,
  TAG_PREDICT_DEFAULTS,
  TAGGER_DEFAULTS,
  TRAIN_DEFAULTS,
  type AddOptions,
  type AugmentOptions,
  type TaggedClassifyOptions,
  type TaggerOptions,
  type TagMode,
  type TagPredictOptions,
  type TrainOptions,
  type TrainProgress,
} from './tagger-options.js';
export { deleteSavedTagger, listSavedTaggers, loadSavedTagger, saveTagger, type SavedTaggerInfo } from './tagger-storage.js';

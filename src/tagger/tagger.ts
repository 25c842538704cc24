import type { ImageInput } from '../input/image-input.js';
import type { Prediction } from '../postprocess/top-k.js';
import type { TagPrediction } from './rank-tags.js';
import type { TaggerJSON } from './tagger-json.js';
import type { AddOptions, TaggedClassifyOptions, TagPredictOptions, TrainOptions, TrainProgress } from './tagger-options.js';

/**
 * The ImageNet classes and the custom tags of one image, each ranked on its own: their
 * probabilities come from different models (1000-way softmax vs. your tags), so one merged list
 * would rank apples against oranges.
 */
export interface TaggedPrediction {
  readonly imagenet: Prediction[];
  readonly tags: TagPrediction[];
}

/**
 * Custom tags learnt from example photos on top of a classifier's 2048-d embeddings. Teach with
 * `add`; predict at once by k-nearest-neighbour, or `train` a linear head first. Everything
 * stays on the device; `toJSON` / `loadTagger` (or `saveTagger` / `loadSavedTagger`) keep it.
 */
export interface Tagger {
  /** Tags in the order they were first added. */
  readonly labels: readonly string[];
  /** Examples per tag, augmented copies included. */
  readonly counts: Readonly<Record<string, number>>;
  /** Neighbours that vote in kNN mode. */
  readonly k: number;
  /** Whether a head trained on exactly the current tags exists (adding or removing a tag outdates it). */
  readonly trained: boolean;
  /** Embeds the image(s) and adds them as examples of `label`; resolves to the examples added. */
  add(images: ImageInput | readonly ImageInput[], label: string, options?: AddOptions): Promise<number>;
  /** Adds embeddings you already have (from `classifier.embed`, same model) as examples of `label`. */
  addEmbeddings(embeddings: readonly Float32Array[], label: string): number;
  /** Forgets a tag and its examples; false when there was no such tag. */
  remove(label: string): boolean;
  /** Forgets every tag, example and the head. */
  clear(): void;
  /** Fits the linear head on all examples (needs two tags or more); resolves to the last epoch's figures. */
  train(options?: TrainOptions): Promise<TrainProgress>;
  /** The image's most likely tags, best first. */
  predict(image: ImageInput, options?: TagPredictOptions): Promise<TagPrediction[]>;
  predict(images: readonly ImageInput[], options?: TagPredictOptions): Promise<TagPrediction[][]>;
  /** `predict` for embeddings you already have: synchronous, no forward pass. */
  predictEmbeddings(embeddings: readonly Float32Array[], options?: TagPredictOptions): TagPrediction[][];
  /** ImageNet's top classes and the custom tags together. */
  classify(image: ImageInput, options?: TaggedClassifyOptions): Promise<TaggedPrediction>;
  classify(images: readonly ImageInput[], options?: TaggedClassifyOptions): Promise<TaggedPrediction[]>;
  /** Everything needed to rebuild this tagger on the same model; `JSON.stringify(tagger)` uses it. */
  toJSON(): TaggerJSON;
}

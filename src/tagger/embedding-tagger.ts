import type { Classifier } from '../classifier.js';
import { RuntimeError, TaggerError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import { analyzeImages, embedAugmented, embedImages } from './embed-images.js';
import { knnProbabilities } from './knn.js';
import { headProbabilities, type LinearHead } from './linear-head.js';
import { rankTags, type TagPrediction } from './rank-tags.js';
import type { TaggedPrediction, Tagger } from './tagger.js';
import { stateToJson, type TaggerJSON, type TaggerModelIdentity, type TaggerState } from './tagger-json.js';
import {
  resolveAugmentOptions,
  resolveTagPredictOptions,
  resolveTrainOptions,
  type AddOptions,
  type ResolvedTagPredictOptions,
  type TaggedClassifyOptions,
  type TagPredictOptions,
  type TrainOptions,
  type TrainProgress,
} from './tagger-options.js';
import { trainLinearHead } from './train-linear-head.js';
import { l2Normalize } from './vector.js';

/** Per label, in label order: its probability for a normalised embedding. */
type Scorer = (embedding: Float32Array) => Float32Array;

const asList = <T>(input: T | readonly T[]): readonly T[] => (Array.isArray(input) ? input : [input as T]);
const sameLabels = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((label, i) => label === b[i]);

function checkLabel(label: unknown): asserts label is string {
  if (typeof label !== 'string' || label.trim() === '') {
    throw new RuntimeError('E_INVALID_INPUT', `a tag label must be a non-empty string, got ${JSON.stringify(label)}`);
  }
}

/** What a tagger records of the model it was taught on. */
export function modelOf(classifier: Classifier): TaggerModelIdentity {
  return { weightsSha256: classifier.metadata.weights.sha256, embeddingSize: classifier.metadata.embeddingSize };
}

/** The `Tagger` implementation; build one with `createTagger` or `loadTagger`. */
export class EmbeddingTagger implements Tagger {
  private readonly classes: Map<string, Float32Array[]>;
  private head: LinearHead | undefined;
  readonly k: number;

  constructor(private readonly classifier: Classifier, state: Omit<TaggerState, 'model'>) {
    this.k = state.k;
    this.classes = new Map([...state.classes].map(([label, examples]) => [label, [...examples]]));
    this.head = state.head;
  }

  get labels(): readonly string[] {
    return [...this.classes.keys()];
  }

  get counts(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.classes].map(([label, examples]) => [label, examples.length]));
  }

  get trained(): boolean {
    return this.currentHead() !== undefined;
  }

  async add(input: ImageInput | readonly ImageInput[], label: string, options: AddOptions = {}): Promise<number> {
    const images = asList(input);
    this.checkExamples(images.length, label);
    const augment = resolveAugmentOptions(options.augment);
    const embeddings = augment ? await embedAugmented(this.classifier, images, augment) : await embedImages(this.classifier, images);
    return this.addEmbeddings(embeddings, label);
  }

  addEmbeddings(embeddings: readonly Float32Array[], label: string): number {
    this.checkExamples(embeddings.length, label);
    const normalised = embeddings.map((embedding) => l2Normalize(this.checkEmbedding(embedding)));
    this.classes.set(label, [...(this.classes.get(label) ?? []), ...normalised]);
    return normalised.length;
  }

  remove(label: string): boolean {
    return this.classes.delete(label);
  }

  clear(): void {
    this.classes.clear();
    this.head = undefined;
  }

  async train(options?: TrainOptions): Promise<TrainProgress> {
    const resolved = resolveTrainOptions(options);
    const labels = this.labels;
    if (labels.length === 0) throw new TaggerError('E_NEED_TWO_CLASSES', "train() needs examples of at least two tags, but this tagger has none yet: teach it with tagger.add(images, 'label')");
    if (labels.length === 1) {
      throw new TaggerError(
        'E_NEED_TWO_CLASSES',
        `train() needs examples of at least two tags to tell apart, but this tagger only has '${labels[0]}': add photos of another tag (e.g. 'other', with typical photos that are not '${labels[0]}'), or skip training and predict by kNN`,
      );
    }
    const examples = labels.map((label) => this.classes.get(label) ?? []);
    const set = { labels, inputs: examples.flat(), targets: examples.flatMap((list, i) => list.map(() => i)) };
    const { head, final } = await trainLinearHead(set, resolved);
    this.head = head;
    return final;
  }

  predict(image: ImageInput, options?: TagPredictOptions): Promise<TagPrediction[]>;
  predict(images: readonly ImageInput[], options?: TagPredictOptions): Promise<TagPrediction[][]>;
  async predict(input: ImageInput | readonly ImageInput[], options?: TagPredictOptions): Promise<TagPrediction[] | TagPrediction[][]> {
    const resolved = resolveTagPredictOptions(options);
    // Before the forward pass, so an untaught tagger fails fast.
    const score = this.scorer(resolved.mode);
    const lists = this.rank(await embedImages(this.classifier, asList(input)), score, resolved);
    return Array.isArray(input) ? lists : (lists[0] ?? []);
  }

  predictEmbeddings(embeddings: readonly Float32Array[], options?: TagPredictOptions): TagPrediction[][] {
    const resolved = resolveTagPredictOptions(options);
    return this.rank(embeddings, this.scorer(resolved.mode), resolved);
  }

  classify(image: ImageInput, options?: TaggedClassifyOptions): Promise<TaggedPrediction>;
  classify(images: readonly ImageInput[], options?: TaggedClassifyOptions): Promise<TaggedPrediction[]>;
  async classify(input: ImageInput | readonly ImageInput[], options: TaggedClassifyOptions = {}): Promise<TaggedPrediction | TaggedPrediction[]> {
    const images = asList(input);
    const resolved = resolveTagPredictOptions(options.tags);
    const score = this.scorer(resolved.mode);
    const analyses = await analyzeImages(this.classifier, images, options.imagenet);
    const tags = this.rank(analyses.map((a) => a.embedding), score, resolved);
    const results = analyses.map((a, i) => ({ imagenet: a.predictions, tags: tags[i] ?? [] }));
    return Array.isArray(input) ? results : (results[0] as TaggedPrediction);
  }

  toJSON(): TaggerJSON {
    return stateToJson({ model: modelOf(this.classifier), k: this.k, classes: this.classes, head: this.currentHead() });
  }

  private currentHead(): LinearHead | undefined {
    return this.head && sameLabels(this.head.labels, this.labels) ? this.head : undefined;
  }

  private rank(embeddings: readonly Float32Array[], score: Scorer, options: ResolvedTagPredictOptions): TagPrediction[][] {
    const labels = this.labels;
    return embeddings.map((embedding) => rankTags(labels, score(l2Normalize(this.checkEmbedding(embedding))), options));
  }

  /** How `mode` scores an embedding, or why it cannot yet. */
  private scorer(mode: ResolvedTagPredictOptions['mode']): Scorer {
    if (this.classes.size === 0) throw new TaggerError('E_NO_EXAMPLES', "this tagger has no examples yet: teach it first with tagger.add(images, 'label')");
    const head = this.currentHead();
    if (mode === 'linear' && !head) {
      const why = this.head ? `the tags changed since train() (trained on ${this.head.labels.join(', ')}; now ${this.labels.join(', ')})` : 'train() has not run';
      throw new TaggerError('E_NOT_TRAINED', `no linear head for the current tags: ${why}; call tagger.train(), or predict with mode: 'knn'`);
    }
    if (head && mode !== 'knn') return (embedding) => headProbabilities(head, embedding);
    const examples = [...this.classes.values()];
    return (embedding) => knnProbabilities(embedding, examples, this.k);
  }

  private checkExamples(count: number, label: string): void {
    checkLabel(label);
    if (count === 0) throw new TaggerError('E_EMPTY_CLASS', `no examples given for the tag '${label}': pass at least one image (or embedding)`);
  }

  private checkEmbedding(embedding: Float32Array): Float32Array {
    const size = this.classifier.metadata.embeddingSize;
    if (!(embedding instanceof Float32Array) || embedding.length !== size || !embedding.every(Number.isFinite)) {
      throw new RuntimeError('E_INVALID_INPUT', `an embedding must be a Float32Array of ${size} finite values (from classifier.embed), got ${embedding?.length ?? typeof embedding} values`);
    }
    return embedding;
  }
}

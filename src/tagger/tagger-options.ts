import { RuntimeError } from '../../shared/errors.js';
import { withDefaults } from '../../shared/with-defaults.js';
import { CLASSIFY_DEFAULTS, resolveClassifyOptions, type ClassifyOptions } from '../options.js';

/** 'knn': the k nearest examples vote (instant, works from one photo per tag). 'linear': the head `train()` fits. */
export type TagMode = 'knn' | 'linear';

export interface TaggerOptions {
  /** How many nearest examples vote in kNN mode; saved with the tagger. @default 3 */
  readonly k?: number;
}

export interface AugmentOptions {
  /** Also add each image mirrored left–right. @default true */
  readonly flip?: boolean;
  /** Random crops added per image; with `flip`, each is mirrored with probability ½. @default 2 */
  readonly crops?: number;
  /** A crop's sides as a fraction of the image's, drawn uniformly from [min, max]. @default [0.7, 0.9] */
  readonly cropScale?: readonly [number, number];
  /** Seeds the crops' sizes, positions and flips, so the same call adds the same examples. @default 0 */
  readonly seed?: number;
}

export interface AddOptions {
  /**
   * Add altered copies of each image too: `true` for the defaults, or the options. Each image
   * then costs 1 + flip + crops forward passes. @default false
   */
  readonly augment?: boolean | AugmentOptions;
}

export interface TrainProgress {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean cross-entropy over the epoch's examples. */
  readonly loss: number;
  /** Share of the epoch's examples the head got right, in [0, 1], measured before each batch's update. */
  readonly accuracy: number;
}

export interface TrainOptions {
  /** Passes over the examples. @default 50 */
  readonly epochs?: number;
  /** Adam's step size. @default 0.02 */
  readonly learningRate?: number;
  /** Examples per gradient step. @default 32 */
  readonly batchSize?: number;
  /** Seeds the order of examples in each epoch; the head starts at zero, so training is repeatable. @default 0 */
  readonly seed?: number;
  /** Called after every epoch; training yields to the event loop in between, so a progress bar can paint. */
  readonly onProgress?: (progress: TrainProgress) => void;
}

export interface TagPredictOptions {
  /** How many tags to return per image. @default 5 */
  readonly topK?: number;
  /** Drop tags whose probability is below this, in [0, 1]. @default 0 */
  readonly threshold?: number;
  /** 'auto': the trained head if there is one, else kNN. @default 'auto' */
  readonly mode?: 'auto' | TagMode;
}

/** Options of `tagger.classify`: each list is ranked on its own (see `TaggedPrediction`). */
export interface TaggedClassifyOptions {
  readonly imagenet?: ClassifyOptions;
  readonly tags?: TagPredictOptions;
}

export const TAGGER_DEFAULTS = { k: 3 } as const satisfies TaggerOptions;
export const AUGMENT_DEFAULTS = { flip: true, crops: 2, cropScale: [0.7, 0.9], seed: 0 } as const satisfies AugmentOptions;
export const TRAIN_DEFAULTS = { epochs: 50, learningRate: 0.02, batchSize: 32, seed: 0 } as const satisfies TrainOptions;
export const TAG_PREDICT_DEFAULTS = { ...CLASSIFY_DEFAULTS, mode: 'auto' } as const satisfies TagPredictOptions;

export type ResolvedAugmentOptions = Required<AugmentOptions>;
export type ResolvedTrainOptions = Required<Omit<TrainOptions, 'onProgress'>> & Pick<TrainOptions, 'onProgress'>;
export type ResolvedTagPredictOptions = Required<TagPredictOptions>;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RuntimeError('E_BAD_OPTION', `${name} must be a positive integer, got ${value}`);
  return value;
}

export function resolveK(options: TaggerOptions = {}): number {
  return positiveInteger('k', options.k ?? TAGGER_DEFAULTS.k);
}

/** `undefined` when augmentation is off. */
export function resolveAugmentOptions(augment: AddOptions['augment']): ResolvedAugmentOptions | undefined {
  if (!augment) return undefined;
  const resolved = withDefaults(AUGMENT_DEFAULTS, augment === true ? {} : augment);
  if (!Number.isInteger(resolved.crops) || resolved.crops < 0) throw new RuntimeError('E_BAD_OPTION', `augment.crops must be a whole number ≥ 0, got ${resolved.crops}`);
  const [min, max] = resolved.cropScale;
  if (!(min > 0 && min <= max && max <= 1)) {
    throw new RuntimeError('E_BAD_OPTION', `augment.cropScale must be [min, max] with 0 < min ≤ max ≤ 1, got [${min}, ${max}]`);
  }
  return resolved;
}

export function resolveTrainOptions(options: TrainOptions = {}): ResolvedTrainOptions {
  const resolved = withDefaults(TRAIN_DEFAULTS, options);
  positiveInteger('epochs', resolved.epochs);
  positiveInteger('batchSize', resolved.batchSize);
  if (!(resolved.learningRate > 0 && Number.isFinite(resolved.learningRate))) {
    throw new RuntimeError('E_BAD_OPTION', `learningRate must be a positive number, got ${resolved.learningRate}`);
  }
  return resolved;
}

export function resolveTagPredictOptions(options: TagPredictOptions = {}): ResolvedTagPredictOptions {
  const { topK, threshold } = resolveClassifyOptions(options);
  const mode = options.mode ?? TAG_PREDICT_DEFAULTS.mode;
  if (!['auto', 'knn', 'linear'].includes(mode)) throw new RuntimeError('E_BAD_OPTION', `mode must be 'auto', 'knn' or 'linear', got '${String(mode)}'`);
  return { topK, threshold, mode };
}

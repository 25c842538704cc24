/**
 * What the converter writes into model.json's `userDefinedMetadata.inceptionWebgpu`, and what
 * the runtime reads back: the contract between the two halves of the package.
 */

export const METADATA_KEY = 'inceptionWebgpu';
export const MODEL_FORMAT_VERSION = 1;

export interface ShardRecord {
  /** File name relative to model.json. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface InceptionModelMetadata {
  readonly format: 'inception-webgpu';
  readonly formatVersion: number;
  readonly architecture: 'inception_v3';
  readonly converterVersion: string;
  /**
   * The graph takes raw RGB pixels, float32 in [0, 255], NHWC [batch, 299, 299, 3], and applies
   * x/127.5 − 1 itself. Resizing and cropping are the caller's job (see `preprocessing`).
   */
  readonly input: {
    readonly name: string;
    readonly layout: 'NHWC';
    readonly height: number;
    readonly width: number;
    readonly channels: 3;
    readonly valueRange: readonly [0, 255];
  };
  readonly outputs: {
    readonly logits: string;
    readonly embedding: string;
    /** Feature-map node names with their [height, width, channels]. */
    readonly features: Readonly<Record<string, readonly number[]>>;
  };
  /** torchvision's eval transform for these weights. */
  readonly preprocessing: {
    readonly resizeShorterSide: number;
    readonly cropSize: number;
    readonly interpolation: 'bilinear';
    readonly antialias: boolean;
    readonly scaling: 'x/127.5-1';
    readonly scalingInGraph: true;
  };
  readonly numClasses: number;
  readonly embeddingSize: number;
  readonly labels: readonly string[];
  readonly source: {
    readonly fileName: string;
    readonly sha256: string;
    readonly bytes: number;
    readonly format: string;
  };
  readonly weights: {
    readonly dtype: 'float32' | 'float16' | 'uint8';
    readonly totalBytes: number;
    /** SHA-256 over all shard bytes in order: identifies the model (taggers check it). */
    readonly sha256: string;
    readonly shards: readonly ShardRecord[];
  };
}

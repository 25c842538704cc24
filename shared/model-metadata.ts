/**
 * What the converter writes into model.json's `userDefinedMetadata.inceptionWebgpu`, and what
 * the runtime reads back: the contract between the two halves of the package.
 */

import { RuntimeError } from './errors.js';

export const METADATA_KEY = 'inceptionWebgpu';
export const MODEL_FORMAT_VERSION = 1;

/** A preset's name, or `custom` for an explicit mean/std. */
export type NormalizationName = 'inception' | 'imagenet' | 'custom';

/** The input normalisation the net was trained with, (x/255 − mean)/std per RGB channel. */
export interface ModelNormalization {
  readonly name: NormalizationName;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface ShardRecord {
  /** File name relative to model.json. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * How far a backend's probe outputs may stray from the golden ones. Float32 kernels agree to
 * ~1e-5 (tests), so 1e-3 leaves room for a GPU's summation order yet catches a broken kernel or
 * 16-bit float textures (drifts of 0.1 and more). Float16 weights allow a backend to compute
 * in half precision too (WebGPU's shader-f16 conv kernels are judged by that bound). uint8
 * weights are dequantized to float32 before any kernel runs, and the golden values come from
 * that same dequantized model: float32's bound holds.
 */
export const SELF_CHECK_TOLERANCE: Readonly<Record<InceptionModelMetadata['weights']['dtype'], number>> = { float32: 1e-3, float16: 0.05, uint8: 1e-3 };

/**
 * The self-check's golden outputs: what the converter's own run of this graph gave for the probe
 * image (shared/probe-image.ts). A backend that differs by more than `tolerance` computes wrong.
 */
export interface SelfCheckReference {
  /** Which probe image (PROBE_ID). */
  readonly probe: string;
  /** The probe's logits, one per class; absent for an embedding-only model. */
  readonly logits?: readonly number[];
  /** A sample of the probe's embedding: the values at `indices`. */
  readonly embedding: { readonly indices: readonly number[]; readonly values: readonly number[] };
  /** The largest |Δ| a backend may show on any of these values and still be trusted. */
  readonly tolerance: number;
  /** What computed the values, e.g. 'TF.js 4.22.0 wasm (float32)'. */
  readonly computedWith: string;
}

export interface InceptionModelMetadata {
  readonly format: 'inception-webgpu';
  readonly formatVersion: number;
  readonly architecture: 'inception_v3';
  readonly converterVersion: string;
  /**
   * The graph takes raw RGB pixels, float32 in [0, 255], NHWC [batch, 299, 299, 3], and applies
   * the net's normalisation (`preprocessing.normalization`) itself. Resizing and cropping are the caller's job (see `preprocessing`).
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
    /** Absent when the checkpoint had no classifier (fc): an embedding-only model. */
    readonly logits?: string;
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
    readonly scaling: 'x/127.5-1' | '(x/255-mean)/std';
    readonly scalingInGraph: true;
    /** Written since fine-tuned models: absent in older models, which all use `inception`. */
    readonly normalization?: ModelNormalization;
  };
  /** The fc head's class count; 0 for an embedding-only model. */
  readonly numClasses: number;
  readonly embeddingSize: number;
  /** One per class, in index order; empty for an embedding-only model. */
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
  /** Absent in models converted before the self-check existed: the runtime then reports it as unavailable. */
  readonly selfCheck?: SelfCheckReference;
}

/** The graph's logits output; an embedding-only model has none, so classifying with it is E_NO_CLASSIFIER. */
export function logitsOutput(metadata: InceptionModelMetadata): string {
  if (metadata.outputs.logits !== undefined) return metadata.outputs.logits;
  throw new RuntimeError(
    'E_NO_CLASSIFIER',
    `this model has no classifier: it was converted from a checkpoint without fc weights (source '${metadata.source.fileName}'), ` +
      'so classify(), logits() and analyze() are unavailable; use embed(), features() or a custom-tag tagger, or convert a checkpoint that has its fc layer',
  );
}

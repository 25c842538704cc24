import type { ModelNormalization, NormalizationName } from '../../shared/model-metadata.js';
import type { CheckpointInfo } from '../read/checkpoint-types.js';
import { ConverterError } from '../errors.js';

export type RGB = readonly [number, number, number];

/** (x/255 − mean)/std per channel. torchvision's `transform_input=True` weights see x/127.5 − 1, i.e. mean = std = 0.5. */
export const NORMALIZATIONS: Readonly<Record<Exclude<NormalizationName, 'custom'>, { mean: RGB; std: RGB }>> = {
  inception: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
};

export interface NormalizationOptions {
  /** A preset; leave out to take it from the checkpoint's `transform_input`, else `inception`. */
  readonly normalization?: Exclude<NormalizationName, 'custom'>;
  /** Per-channel mean and std of the training inputs in [0, 1]; both or neither, instead of a preset. */
  readonly mean?: RGB;
  readonly std?: RGB;
}

/**
 * How the net expects its input: explicit mean/std, else the named preset, else what the
 * checkpoint's saved `transform_input` says (False: the net saw ImageNet-normalised inputs).
 */
export function resolveNormalization(options: NormalizationOptions, info: CheckpointInfo | undefined): ModelNormalization {
  const { normalization, mean, std } = options;
  if (mean !== undefined || std !== undefined) {
    if (normalization !== undefined) throw badArgument(`give either normalization '${normalization}' or mean and std, not both`);
    if (mean === undefined || std === undefined) throw badArgument(`mean and std go together; only ${mean ? 'mean' : 'std'} was given`);
    return { name: 'custom', mean: checkRgb(mean, 'mean', false), std: checkRgb(std, 'std', true) };
  }
  const name = normalization ?? (info?.transformInput === false ? 'imagenet' : 'inception');
  const preset = NORMALIZATIONS[name];
  if (preset === undefined) throw badArgument(`normalization must be inception or imagenet, got '${String(name)}'`);
  return { name, mean: [...preset.mean], std: [...preset.std] };
}

function checkRgb(values: RGB, what: string, positive: boolean): [number, number, number] {
  const ok = values.length === 3 && values.every((v) => Number.isFinite(v) && (!positive || v > 0));
  if (!ok) throw badArgument(`${what} must be three ${positive ? 'positive' : 'finite'} numbers (r,g,b) for inputs in [0, 1], got ${JSON.stringify(values)}`);
  return [values[0], values[1], values[2]];
}

function badArgument(message: string): ConverterError {
  return new ConverterError('E_BAD_ARGUMENT', message);
}

/** Scale and shift with x·scale + shift = (x/255 − mean)/std for x in [0, 255], per channel. */
export function inputAffine({ mean, std }: ModelNormalization): { scale: number[]; shift: number[] } {
  return { scale: std.map((s) => 1 / (255 * s)), shift: mean.map((m, i) => -m / (std[i] as number)) };
}

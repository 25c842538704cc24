/**
 * torchvision's Inception V3 as data: every conv (BasicConv2d = Conv2d(bias=False) + BatchNorm2d
 * (eps 0.001) + ReLU), every pool and every concat, in torchvision's order. The graph builder and
 * the state_dict validator both walk this one description, so they cannot disagree.
 */

export interface ConvSpec {
  readonly kind: 'conv';
  /** torchvision module path, e.g. `Mixed_5b.branch5x5_2`; state_dict keys hang off it. */
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: readonly [number, number];
  readonly stride: 1 | 2;
  /** Every padded conv is stride 1 with symmetric (k-1)/2 padding, which TF's SAME equals. */
  readonly padding: 'SAME' | 'VALID';
}

/** max_pool2d(3, stride 2), unpadded. */
export interface MaxPoolSpec {
  readonly kind: 'maxpool';
}

/** avg_pool2d(3, stride 1, padding 1) with count_include_pad=True: the zeros count. */
export interface AvgPoolSpec {
  readonly kind: 'avgpool';
}

export interface SequenceSpec {
  readonly kind: 'sequence';
  readonly items: readonly LayerSpec[];
}

/** Branches that all read the same input, concatenated along channels in this order. */
export interface ConcatSpec {
  readonly kind: 'concat';
  /** Set on the Mixed blocks, whose outputs are named endpoints. */
  readonly name?: string;
  readonly branches: readonly LayerSpec[];
}

export type LayerSpec = ConvSpec | MaxPoolSpec | AvgPoolSpec | SequenceSpec | ConcatSpec;

const maxPool: MaxPoolSpec = { kind: 'maxpool' };
const avgPool: AvgPoolSpec = { kind: 'avgpool' };

/** A conv as torchvision declares it; unpadded unless wrapped in `padded()`. */
function conv(
  name: string,
  inChannels: number,
  outChannels: number,
  kernel: number | [number, number],
  stride: 1 | 2 = 1,
): ConvSpec {
  const k: [number, number] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  return { kind: 'conv', name, inChannels, outChannels, kernel: k, stride, padding: 'VALID' };
}

/** torchvision's symmetric (k-1)/2 padding; all padded convs are stride 1, where SAME is exact. */
function padded(spec: ConvSpec): ConvSpec {
  return { ...spec, padding: 'SAME' };
}

const seq = (...items: LayerSpec[]): SequenceSpec => ({ kind: 'sequence', items });
const concat = (branches: LayerSpec[], name?: string): ConcatSpec =>
  name === undefined ? { kind: 'concat', branches } : { kind: 'concat', name, branches };

function inceptionA(name: string, cin: number, poolFeatures: number): ConcatSpec {
  return concat(
    [
      conv(`${name}.branch1x1`, cin, 64, 1),
      seq(conv(`${name}.branch5x5_1`, cin, 48, 1), padded(conv(`${name}.branch5x5_2`, 48, 64, 5))),
      seq(
        conv(`${name}.branch3x3dbl_1`, cin, 64, 1),
        padded(conv(`${name}.branch3x3dbl_2`, 64, 96, 3)),
        padded(conv(`${name}.branch3x3dbl_3`, 96, 96, 3)),
      ),
      seq(avgPool, conv(`${name}.branch_pool`, cin, poolFeatures, 1)),
    ],
    name,
  );
}

function inceptionB(name: string, cin: number): ConcatSpec {
  return concat(
    [
      conv(`${name}.branch3x3`, cin, 384, 3, 2),
      seq(
        conv(`${name}.branch3x3dbl_1`, cin, 64, 1),
        padded(conv(`${name}.branch3x3dbl_2`, 64, 96, 3)),
        conv(`${name}.branch3x3dbl_3`, 96, 96, 3, 2),
      ),
      maxPool,
    ],
    name,
  );
}

function inceptionC(name: string, cin: number, c7: number): ConcatSpec {
  const row = (suffix: string, i: number, o: number) => padded(conv(`${name}.${suffix}`, i, o, [1, 7]));
  const col = (suffix: string, i: number, o: number) => padded(conv(`${name}.${suffix}`, i, o, [7, 1]));
  return concat(
    [
      conv(`${name}.branch1x1`, cin, 192, 1),
      seq(conv(`${name}.branch7x7_1`, cin, c7, 1), row('branch7x7_2', c7, c7), col('branch7x7_3', c7, 192)),
      seq(
        conv(`${name}.branch7x7dbl_1`, cin, c7, 1),
        col('branch7x7dbl_2', c7, c7),
        row('branch7x7dbl_3', c7, c7),
        col('branch7x7dbl_4', c7, c7),
        row('branch7x7dbl_5', c7, 192),
      ),
      seq(avgPool, conv(`${name}.branch_pool`, cin, 192, 1)),
    ],
    name,
  );
}

function inceptionD(name: string, cin: number): ConcatSpec {
  return concat(
    [
      seq(conv(`${name}.branch3x3_1`, cin, 192, 1), conv(`${name}.branch3x3_2`, 192, 320, 3, 2)),
      seq(
        conv(`${name}.branch7x7x3_1`, cin, 192, 1),
        padded(conv(`${name}.branch7x7x3_2`, 192, 192, [1, 7])),
        padded(conv(`${name}.branch7x7x3_3`, 192, 192, [7, 1])),
        conv(`${name}.branch7x7x3_4`, 192, 192, 3, 2),
      ),
      maxPool,
    ],
    name,
  );
}

function inceptionE(name: string, cin: number): ConcatSpec {
  const pair = (prefix: string, i: number) =>
    concat([padded(conv(`${name}.${prefix}a`, i, 384, [1, 3])), padded(conv(`${name}.${prefix}b`, i, 384, [3, 1]))]);
  return concat(
    [
      conv(`${name}.branch1x1`, cin, 320, 1),
      seq(conv(`${name}.branch3x3_1`, cin, 384, 1), pair('branch3x3_2', 384)),
      seq(
        conv(`${name}.branch3x3dbl_1`, cin, 448, 1),
        padded(conv(`${name}.branch3x3dbl_2`, 448, 384, 3)),
        pair('branch3x3dbl_3', 384),
      ),
      seq(avgPool, conv(`${name}.branch_pool`, cin, 192, 1)),
    ],
    name,
  );
}

/** The feature extractor, from the RGB input to Mixed_7c (N×8×8×2048). */
export const INCEPTION_V3_FEATURES: SequenceSpec = seq(
  conv('Conv2d_1a_3x3', 3, 32, 3, 2),
  conv('Conv2d_2a_3x3', 32, 32, 3),
  padded(conv('Conv2d_2b_3x3', 32, 64, 3)),
  maxPool,
  conv('Conv2d_3b_1x1', 64, 80, 1),
  conv('Conv2d_4a_3x3', 80, 192, 3),
  maxPool,
  inceptionA('Mixed_5b', 192, 32),
  inceptionA('Mixed_5c', 256, 64),
  inceptionA('Mixed_5d', 288, 64),
  inceptionB('Mixed_6a', 288),
  inceptionC('Mixed_6b', 768, 128),
  inceptionC('Mixed_6c', 768, 160),
  inceptionC('Mixed_6d', 768, 160),
  inceptionC('Mixed_6e', 768, 192),
  inceptionD('Mixed_7a', 768),
  inceptionE('Mixed_7b', 1280),
  inceptionE('Mixed_7c', 2048),
);

export const INPUT_SIZE = 299;
export const EMBEDDING_SIZE = 2048;
/** ImageNet's class count: torchvision's own weights, and the synthetic reference. */
export const IMAGENET_NUM_CLASSES = 1000;
export const BATCH_NORM_EPSILON = 0.001;

/** The named feature maps a caller can ask for, with their NHWC shapes (batch excluded). */
export const FEATURE_ENDPOINTS = {
  Mixed_5d: [35, 35, 288],
  Mixed_6e: [17, 17, 768],
  Mixed_7c: [8, 8, 2048],
} as const;

/** All convs in forward order. */
export function listConvs(spec: LayerSpec = INCEPTION_V3_FEATURES): ConvSpec[] {
  switch (spec.kind) {
    case 'conv':
      return [spec];
    case 'sequence':
      return spec.items.flatMap((item) => listConvs(item));
    case 'concat':
      return spec.branches.flatMap((branch) => listConvs(branch));
    default:
      return [];
  }
}

/**
 * Every state_dict key Inception V3 needs (AuxLogits excluded), with its PyTorch shape, for an fc
 * head of `numClasses` classes; 0 means no fc at all (a backbone saved with `fc = Identity()`).
 */
export function expectedStateDict(numClasses: number = IMAGENET_NUM_CLASSES): Map<string, number[]> {
  const keys = new Map<string, number[]>();
  for (const c of listConvs()) {
    keys.set(`${c.name}.conv.weight`, [c.outChannels, c.inChannels, c.kernel[0], c.kernel[1]]);
    for (const p of ['weight', 'bias', 'running_mean', 'running_var']) keys.set(`${c.name}.bn.${p}`, [c.outChannels]);
  }
  if (numClasses > 0) {
    keys.set('fc.weight', [numClasses, EMBEDDING_SIZE]);
    keys.set('fc.bias', [numClasses]);
  }
  return keys;
}

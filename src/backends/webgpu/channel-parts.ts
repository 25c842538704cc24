import type { Activation } from './epilogue.js';

/**
 * One producer of a channel range of an InceptionChannelParts node's output. The node's output is
 * its parts' outputs side by side along channels, in order: a Mixed block's concat whose branches
 * write their own slice of it, or (one part) a conv that reads a channel range of its input.
 *
 * Every key is lower case: TF.js hands a graph node's string attribute over lower-cased.
 */
export interface ChannelPart {
  /** 'conv': a dense conv; 'depthwise': the pool branches' average; 'max': a max pool; 'copy': a channel range as is. */
  readonly kind: 'conv' | 'depthwise' | 'max' | 'copy';
  /** How many of the node's inputs are this part's: x, then (convs) filter, bias if any, alpha if PReLU. */
  readonly operands: number;
  /** The channels of x the part reads: `count` from `begin`; count -1 means all of x's. */
  readonly begin: number;
  readonly count: number;
  /** Windowed parts: [height, width] strides and window ('max'; convs take theirs from the filter). */
  readonly strides: readonly [number, number];
  readonly window: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly activation: Activation;
  readonly bias: boolean;
  /** Convs: x × scale + shift as the conv reads x (the input's normalisation, Mul then AddV2). */
  readonly affine?: { readonly scale: number; readonly shift: number };
  /** 1×1 convs: x max-pooled as the conv reads it (the max pool before the conv). */
  readonly pool?: { readonly kind: 'max'; readonly window: readonly [number, number]; readonly strides: readonly [number, number]; readonly padding: 'same' | 'valid' };
}

/** The custom graph op: only graphs rewritten at load time for our WebGPU kernels hold it. */
export const CHANNEL_PARTS_OP = 'InceptionChannelParts';

/** The parts, from the node attribute the rewrite wrote. */
export function parseParts(attr: unknown): ChannelPart[] {
  if (typeof attr !== 'string') throw new Error(`${CHANNEL_PARTS_OP}: no parts attribute`);
  return JSON.parse(attr) as ChannelPart[];
}

/** Splits the node's inputs into each part's operands. */
export function partOperands<T>(parts: readonly ChannelPart[], inputs: readonly T[]): T[][] {
  let next = 0;
  return parts.map((part) => {
    const operands = inputs.slice(next, next + part.operands);
    next += part.operands;
    return operands;
  });
}

import { vecType } from './channel-span.js';

/** What follows a conv's sums: TF.js's fused activations that Inception's graph uses. */
export type Activation = 'linear' | 'relu' | 'prelu';

export interface Epilogue {
  readonly bias: boolean;
  /** 'prelu' reads a per-channel alpha: the fused 1×1 heads keep ReLU on some members only (alpha 0 or 1). */
  readonly activation: Activation;
}

/** The epilogue's operands, bound after the program's own. */
export const epilogueVariables = (e: Epilogue): string[] => [...(e.bias ? ['bias'] : []), ...(e.activation === 'prelu' ? ['alpha'] : [])];

/** WGSL for `sum` with the bias and the activation of output column (vector) `col`. */
export function epilogueCode(e: Epilogue, sum: string, col: string, width: number): string {
  const biased = e.bias ? `(${sum} + bias[${col}])` : `(${sum})`;
  const zero = `${vecType(width)}(0.0)`;
  if (e.activation === 'relu') return `max(${biased}, ${zero})`;
  if (e.activation === 'prelu') return `select(${biased}, ${biased} * alpha[${col}], ${biased} < ${zero})`;
  return biased;
}

export const epilogueKey = (e: Epilogue): string => `${Number(e.bias)}${e.activation}`;

import { vecType } from './channel-span.js';

/**
 * What a conv does to its input as it reads it, so the op that made that input needs no dispatch:
 * - 'affine': x × scale + shift, the input's normalisation (convs without padding only, where no
 *   padded zero would be shifted);
 * - 'max': a max pool of the input, for 1×1 convs: the stem's before Conv2d_3b (and before the
 *   fused head of Mixed_5b).
 */
export type Prologue =
  | { readonly kind: 'affine'; readonly scale: number; readonly shift: number }
  | {
      readonly kind: 'max';
      readonly window: readonly [number, number];
      readonly strides: readonly [number, number];
      /** Top and left padding of the pool. */
      readonly pads: readonly [number, number];
      /** The input's size before the pool. */
      readonly inHeight: number;
      readonly inWidth: number;
    };

export const prologueKey = (p: Prologue | undefined): string => {
  if (!p) return '';
  if (p.kind === 'affine') return `_aff${p.scale}_${p.shift}`;
  return `_${p.kind}${p.window.join('x')}s${p.strides.join('x')}p${p.pads.join('x')}i${p.inHeight}x${p.inWidth}`;
};

/** Where the conv's input vectors sit: stride per pixel and first vector, in `lanes`-wide vectors. */
export interface InputLayout {
  readonly lanes: number;
  readonly stride: number;
  readonly first: number;
}

/** WGSL functions the read needs (placed before main), or ''. */
export function prologueFunctions(p: Prologue | undefined, input: InputLayout): string {
  if (!p || p.kind === 'affine') return '';
  const type = vecType(input.lanes);
  const [kh, kw] = p.window;
  return `
    fn pooledX(n : i32, y : i32, x0 : i32, c : i32) -> ${type} {
      var v = ${type}(-3.4e38);
      for (var i = 0; i < ${kh}; i++) {
        let yy = y * ${p.strides[0]} - ${p.pads[0]} + i;
        if (yy < 0 || yy >= ${p.inHeight}) { continue; }
        for (var j = 0; j < ${kw}; j++) {
          let xx = x0 * ${p.strides[1]} - ${p.pads[1]} + j;
          if (xx < 0 || xx >= ${p.inWidth}) { continue; }
          let value = x[((n * ${p.inHeight} + yy) * ${p.inWidth} + xx) * ${input.stride} + ${input.first} + c];
          v = max(v, value);
        }
      }
      return v;
    }`;
}

/**
 * The read of input vector `c` for GEMM row `r` (whose pixel is n{r}, y{r}, x{r}, in bounds when
 * ok{r}). The normalised input may be int32 pixels (preprocess 'none'): converted to float, as
 * TF.js's Mul does before it multiplies.
 */
export function readX(p: Prologue | undefined, r: number, width: number): string {
  if (p?.kind === 'max') return `pooledX(n${r}, y${r}, x${r}, c)`;
  const type = vecType(width);
  const value = p?.kind === 'affine' ? `(${type}(x[xBase${r} + c]) * ${p.scale.toPrecision(9)} + ${p.shift.toPrecision(9)})` : `x[xBase${r} + c]`;
  return `select(${type}(0.0), ${value}, ok${r})`;
}

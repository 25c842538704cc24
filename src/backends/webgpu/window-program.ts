import { BakedProgram } from './baked-program.js';
import { lanes, spanKey, vecType, type ChannelSpan } from './channel-span.js';
import { epilogueCode, epilogueKey, epilogueVariables, type Epilogue } from './epilogue.js';

/** A per-channel window op, NHWC, with the padding resolved. A 1×1 max window is a copy. */
export interface WindowShape {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly windowHeight: number;
  readonly windowWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/**
 * 'max': a max pool (padding never wins). 'mean': the window's average (the embedding's global
 * average pool, one dispatch where TF.js's Mean takes two). 'depthwise': a weighted sum with filter
 * [windowHeight, windowWidth, channels, 1] and an epilogue — the pool branches' average, which
 * counts the padding as zeros (count_include_pad). Each invocation computes one vector of
 * channels of one output pixel, reading its input range and writing into its output span, so
 * the op needs neither a Slice before it nor a ConcatV2 after it.
 */
export type WindowOp = { readonly kind: 'max' } | { readonly kind: 'mean' } | { readonly kind: 'depthwise'; readonly epilogue: Epilogue };

/**
 * Channels copied as they are, pixel for pixel, by the same dispatch as a window op that keeps the
 * pixel grid: a fused head's branch1x1 range rides along its pool branch's average, which reads
 * the same tensor and writes the same concat, so the copy costs no dispatch of its own.
 */
export interface ChannelCopy {
  readonly channels: number;
  readonly input: ChannelSpan;
  readonly output: ChannelSpan;
}

/** The vector width every span and count allows (a copy riding along included). */
function windowLanes(s: WindowShape, input: ChannelSpan, output: ChannelSpan, copy: ChannelCopy | undefined): 1 | 4 {
  const copyLanes = copy ? [lanes(copy.channels, copy.input), lanes(copy.channels, copy.output)] : [];
  return Math.min(lanes(s.channels, input), lanes(s.channels, output), ...copyLanes) as 1 | 4;
}

export class WindowProgram extends BakedProgram {
  private readonly width: 1 | 4;
  private readonly elements: number;

  constructor(
    private readonly s: WindowShape,
    private readonly op: WindowOp,
    private readonly input: ChannelSpan,
    private readonly output: ChannelSpan,
    private readonly copy?: ChannelCopy,
  ) {
    if (copy && (s.inHeight !== s.outHeight || s.inWidth !== s.outWidth)) throw new Error('WindowProgram: a copy rides only along a window op that keeps the pixel grid');
    const width = windowLanes(s, input, output, copy);
    const variableNames = op.kind === 'depthwise' ? ['x', 'W', ...epilogueVariables(op.epilogue)] : ['x'];
    const elements = (s.batch * s.outHeight * s.outWidth * (s.channels + (copy?.channels ?? 0))) / width;
    const opKey = op.kind === 'depthwise' ? `dw${epilogueKey(op.epilogue)}` : op.kind;
    const copyKey = copy ? `_copy${copy.channels}${spanKey(copy.input, -1)}${spanKey(copy.output, -1)}` : '';
    super({
      shaderKey: `iwWindow_${opKey}_${Object.values(s).join('_')}_${width}${spanKey(input, s.channels)}${spanKey(output, s.channels)}${copyKey}`,
      outputShape: [s.batch, s.outHeight, s.outWidth, output.total],
      variableNames,
      variableComponents: variableNames.map(() => width),
      outputComponent: width,
      invocations: elements,
    });
    this.width = width;
    this.elements = elements;
  }

  /** The copy's branch of the shader: a thread past the window op's channels copies one vector. */
  private copyCode(vecs: number): string {
    if (!this.copy) return '';
    const [inStride, inFirst] = [this.copy.input.total / this.width, this.copy.input.begin / this.width];
    const [outStride, outFirst] = [this.copy.output.total / this.width, this.copy.output.begin / this.width];
    return `
        if (c >= ${vecs}) {
          result[m * ${outStride} + ${outFirst} + c - ${vecs}] = x[m * ${inStride} + ${inFirst} + c - ${vecs}];
          return;
        }`;
  }

  getUserCode(): string {
    const { s, op, width } = this;
    const type = vecType(width);
    const vecs = s.channels / width;
    const perPixel = vecs + (this.copy?.channels ?? 0) / width;
    const [inStride, inFirst] = [this.input.total / width, this.input.begin / width];
    const [outStride, outFirst] = [this.output.total / width, this.output.begin / width];
    const start = op.kind === 'max' ? `${type}(-3.4e38)` : `${type}(0.0)`;
    const take = { max: 'acc = max(acc, v);', mean: 'acc = acc + v;', depthwise: `acc = acc + v * W[(kh * ${s.windowWidth} + kw) * ${vecs} + c];` }[op.kind];
    const value = op.kind === 'depthwise' ? epilogueCode(op.epilogue, 'acc', 'c', width) : op.kind === 'mean' ? `acc * ${(1 / (s.windowHeight * s.windowWidth)).toPrecision(9)}` : 'acc';
    return `
      fn main(index : i32) {
        _ = uniforms.NAN; // sizes are baked in; the binding TF.js always makes must stay in the layout
        if (index >= ${this.elements}) { return; }
        let c = index % ${perPixel};
        let m = index / ${perPixel};${this.copyCode(vecs)}
        let n = m / ${s.outHeight * s.outWidth};
        let p = m % ${s.outHeight * s.outWidth};
        let ih = (p / ${s.outWidth}) * ${s.strideHeight} - ${s.padTop};
        let iw = (p % ${s.outWidth}) * ${s.strideWidth} - ${s.padLeft};
        var acc = ${start};
        for (var kh = 0; kh < ${s.windowHeight}; kh++) {
          let y = ih + kh;
          if (y < 0 || y >= ${s.inHeight}) { continue; }
          for (var kw = 0; kw < ${s.windowWidth}; kw++) {
            let x0 = iw + kw;
            if (x0 < 0 || x0 >= ${s.inWidth}) { continue; }
            let v = x[((n * ${s.inHeight} + y) * ${s.inWidth} + x0) * ${inStride} + ${inFirst} + c];
            ${take}
          }
        }
        result[m * ${outStride} + ${outFirst} + c] = ${value};
      }
    `;
  }
}

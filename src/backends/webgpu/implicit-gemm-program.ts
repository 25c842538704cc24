import { BakedProgram, type BakedLayout } from './baked-program.js';
import { lanes, spanKey, vecType, wholeSpan, type ChannelSpan } from './channel-span.js';
import { gemmRows, type ConvShape } from './conv-shape.js';
import { epilogueCode, epilogueKey, epilogueVariables, type Epilogue } from './epilogue.js';
import { prologueFunctions, prologueKey, readX, type Prologue } from './prologue.js';
import type { GemmConfig } from './kernel-config.js';

/**
 * Where the conv reads its input channels and writes its output channels (whole tensors by
 * default), and what it does to the input as it reads it.
 */
export interface ConvSpans {
  readonly input: ChannelSpan;
  readonly output: ChannelSpan;
  readonly prologue?: Prologue;
}

export const wholeSpans = (s: ConvShape): ConvSpans => ({ input: wholeSpan(s.inChannels), output: wholeSpan(s.outChannels) });

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * An f16 kernel sums this many input-channel vectors in half precision before adding them to its
 * f32 sums: a 2048-term f16 sum would lose ~5 bits (11-bit mantissa), a 64-term one ~3.
 */
export const F16_CHUNK = 16;

/**
 * WGSL's `enable f16;` must open the module, but TF.js puts its header before our code; the
 * device made for shader-f16 (webgpu/f16-device.ts) moves this line to the front.
 */
export const ENABLE_F16 = 'enable f16;';

/** The device feature f16 programs need. */
export const SHADER_F16 = 'shader-f16';

/** The GEMM's grid: input and output vector widths, and the groups of rows and columns one invocation sums. */
function gemmGrid(s: ConvShape, config: GemmConfig, spans: ConvSpans) {
  const [xLanes, wLanes] = [lanes(s.inChannels, spans.input), lanes(s.outChannels, spans.output)];
  return { xLanes, wLanes, rowGroups: Math.ceil(gemmRows(s) / config.rows), colGroups: Math.ceil(s.outChannels / wLanes / config.colVecs) };
}

type GemmGrid = ReturnType<typeof gemmGrid>;

function gemmLayout(s: ConvShape, config: GemmConfig, epilogue: Epilogue, spans: ConvSpans, grid: GemmGrid): BakedLayout {
  const { xLanes, wLanes, rowGroups, colGroups } = grid;
  const variableNames = ['x', 'W', ...(config.splitK === 1 ? epilogueVariables(epilogue) : [])];
  const sizes = [s.batch, s.inHeight, s.inWidth, s.inChannels, s.outHeight, s.outWidth, s.outChannels, s.filterHeight, s.filterWidth, s.strideHeight, s.strideWidth, s.padTop, s.padLeft];
  const spanKeys = `${spanKey(spans.input, s.inChannels)}${spanKey(spans.output, s.outChannels)}${prologueKey(spans.prologue)}`;
  return {
    shaderKey: `iwGemm_${sizes.join('_')}_${config.rows}_${config.colVecs}_${config.splitK}_${epilogueKey(epilogue)}${spanKeys}${config.f16 ? '_f16' : ''}`,
    outputShape: config.splitK > 1 ? [config.splitK, gemmRows(s), s.outChannels] : [s.batch, s.outHeight, s.outWidth, spans.output.total],
    variableNames,
    variableComponents: variableNames.map((name) => (name === 'x' ? xLanes : wLanes)),
    outputComponent: wLanes,
    invocations: config.splitK * rowGroups * colGroups,
  };
}

/**
 * NHWC conv as an implicit GEMM (rows = output pixels, columns = output channels, K = filter
 * taps × input channels), with every size baked into the shader. No workgroup memory: each
 * invocation keeps a rows × colVecs block of sums in registers, so neighbouring invocations read
 * neighbouring filter columns and share their input pixels. With splitK > 1 the shader writes
 * partial sums [splitK, rows, channels] for SplitKReduceProgram; otherwise it runs the epilogue
 * (bias, activation) itself. `spans` let it read a channel range of a wider input and write into
 * a channel offset of a wider output (a concat's), so neither needs a copy.
 * With `f16` the operands (f32 in storage) are converted as they are read,
 * and products are summed in f16 over F16_CHUNK channel vectors at a time, then into f32 sums:
 * half the arithmetic's width where a GPU has double-rate f16, at the cost of precision (which
 * the self-check judges).
 */
export class ImplicitGemmProgram extends BakedProgram {
  private readonly grid: GemmGrid;

  constructor(
    private readonly s: ConvShape,
    private readonly config: GemmConfig,
    private readonly epilogue: Epilogue,
    private readonly spans: ConvSpans = wholeSpans(s),
  ) {
    const grid = gemmGrid(s, config, spans);
    super(gemmLayout(s, config, epilogue, spans, grid));
    this.grid = grid;
  }

  getUserCode(): string {
    const { s, config } = this;
    const { xLanes, wLanes } = this.grid;
    const xVecs = s.inChannels / xLanes;
    // The input pixel's vectors start at pixel × (its total vectors) + the range's first vector.
    const [xStride, xFirst] = [this.spans.input.total / xLanes, this.spans.input.begin / xLanes];
    const colTotal = s.outChannels / wLanes;
    const slice = Math.ceil(xVecs / config.splitK);
    const rows = range(config.rows);
    const cols = range(config.colVecs);
    const zero = `${vecType(wLanes)}(0.0)`;
    // One filter row per input channel of the x vector; the row of channel c starts at c × colTotal.
    const taps = range(xLanes);
    const component = (k: number): string => (xLanes === 1 ? '' : `.${'xyzw'[k]}`);
    // f16 reads convert to half, and sum into `h` (flushed to `acc` every F16_CHUNK channel vectors).
    const [toX, toW, sum] = config.f16 ? [vecType(xLanes, 'f16'), vecType(wLanes, 'f16'), 'h'] : ['', '', 'acc'];
    const as = (type: string, value: string): string => (type ? `${type}(${value})` : value);
    const channelLoop = `
              ${rows.map((r) => `let xv${r} = ${as(toX, readX(this.spans.prologue, r, xLanes))};`).join('\n')}
              ${cols
                .map(
                  (j) => `
              ${taps.map((k) => `let w${k}_${j} = ${as(toW, `W[wBase + (c * ${xLanes} + ${k}) * ${colTotal} + col${j}]`)};`).join('\n')}
              ${rows.map((r) => `${sum}${r}_${j} = ${sum}${r}_${j} + ${taps.map((k) => `xv${r}${component(k)} * w${k}_${j}`).join(' + ')};`).join('\n')}`,
                )
                .join('\n')}`;
    const blocks = rows.flatMap((r) => cols.map((j) => `${r}_${j}`));
    const kLoop = config.f16
      ? `
            for (var c0 = cBegin; c0 < cEnd; c0 += ${F16_CHUNK}) {
              ${blocks.map((b) => `var h${b} = ${vecType(wLanes, 'f16')}(0.0);`).join(' ')}
              for (var c = c0; c < min(c0 + ${F16_CHUNK}, cEnd); c++) {${channelLoop}
              }
              ${blocks.map((b) => `acc${b} = acc${b} + ${vecType(wLanes)}(h${b});`).join('\n')}
            }`
      : `
            for (var c = cBegin; c < cEnd; c++) {${channelLoop}
            }`;
    return `${config.f16 ? ENABLE_F16 : ''}
      ${prologueFunctions(this.spans.prologue, { lanes: xLanes, stride: xStride, first: xFirst })}
      fn main(index : i32) {
        _ = uniforms.NAN; // sizes are baked in; the binding TF.js always makes must stay in the layout
        let cg = index % ${this.grid.colGroups};
        let rg = (index / ${this.grid.colGroups}) % ${this.grid.rowGroups};
        let slice = index / ${this.grid.colGroups * this.grid.rowGroups};
        if (slice >= ${config.splitK}) { return; }
        let cBegin = slice * ${slice};
        let cEnd = min(cBegin + ${slice}, ${xVecs});
        ${cols.map((j) => `let col${j} = min(cg * ${config.colVecs} + ${j}, ${colTotal - 1});`).join('\n')}
        ${rows
          .map(
            (r) => `
        let m${r} = min(rg * ${config.rows} + ${r}, ${gemmRows(s) - 1});
        let n${r} = m${r} / ${s.outHeight * s.outWidth};
        let p${r} = m${r} % ${s.outHeight * s.outWidth};
        let ih${r} = (p${r} / ${s.outWidth}) * ${s.strideHeight} - ${s.padTop};
        let iw${r} = (p${r} % ${s.outWidth}) * ${s.strideWidth} - ${s.padLeft};
        ${cols.map((j) => `var acc${r}_${j} = ${zero};`).join(' ')}`,
          )
          .join('\n')}
        for (var kh = 0; kh < ${s.filterHeight}; kh++) {
          for (var kw = 0; kw < ${s.filterWidth}; kw++) {
            let wBase = (kh * ${s.filterWidth} + kw) * ${s.inChannels * colTotal};
            ${rows
              .map(
                (r) => `
            let y${r} = ih${r} + kh;
            let x${r} = iw${r} + kw;
            let ok${r} = y${r} >= 0 && y${r} < ${s.inHeight} && x${r} >= 0 && x${r} < ${s.inWidth};
            let xBase${r} = select(0, ((n${r} * ${s.inHeight} + y${r}) * ${s.inWidth} + x${r}) * ${xStride} + ${xFirst}, ok${r});`,
              )
              .join('\n')}
            ${kLoop}
          }
        }
        ${this.writeCode()}
      }
    `;
  }

  /** The epilogue: partial sums for the reduce pass, or bias + activation into the output's span. */
  private writeCode(): string {
    const { s, config, epilogue } = this;
    const { wLanes } = this.grid;
    const colTotal = s.outChannels / wLanes;
    const [outStride, outFirst] = [this.spans.output.total / wLanes, this.spans.output.begin / wLanes];
    const rowsTotal = gemmRows(s);
    const lines: string[] = [];
    for (const r of range(config.rows)) {
      lines.push(`if (rg * ${config.rows} + ${r} < ${rowsTotal}) {`);
      for (const j of range(config.colVecs)) {
        const bounded = `cg * ${config.colVecs} + ${j} < ${colTotal}`;
        if (config.splitK > 1) {
          lines.push(`if (${bounded}) { result[(slice * ${rowsTotal} + m${r}) * ${colTotal} + col${j}] = acc${r}_${j}; }`);
        } else {
          const value = epilogueCode(epilogue, `acc${r}_${j}`, `col${j}`, wLanes);
          lines.push(`if (${bounded}) { result[m${r} * ${outStride} + ${outFirst} + col${j}] = ${value}; }`);
        }
      }
      lines.push('}');
    }
    return lines.join('\n');
  }
}

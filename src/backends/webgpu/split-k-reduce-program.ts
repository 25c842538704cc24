import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { lanes, spanKey, type ChannelSpan } from './channel-span.js';
import { gemmRows, type ConvShape } from './conv-shape.js';
import { epilogueCode, epilogueKey, epilogueVariables, type Epilogue } from './epilogue.js';
import { WORKGROUP } from './implicit-gemm-program.js';

/**
 * Sums ImplicitGemmProgram's split-K partials [splitK, rows, channels], then runs the epilogue
 * (bias, activation) and writes into the output's channel span.
 */
export class SplitKReduceProgram implements WebGPUProgram {
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  readonly variableNames: string[];
  readonly variableComponents: number[];
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly outputComponent: number;
  private readonly elements: number;
  private readonly columns: number;

  constructor(
    s: ConvShape,
    private readonly splitK: number,
    private readonly epilogue: Epilogue,
    private readonly output: ChannelSpan,
  ) {
    const width = lanes(s.outChannels, output);
    this.variableNames = ['partial', ...epilogueVariables(epilogue)];
    this.variableComponents = this.variableNames.map(() => width);
    this.outputComponent = width;
    this.outputShape = [s.batch, s.outHeight, s.outWidth, output.total];
    this.columns = s.outChannels / width;
    this.elements = gemmRows(s) * this.columns;
    this.dispatch = [Math.ceil(this.elements / WORKGROUP), 1, 1];
    this.shaderKey = `iwSplitKReduce_${this.elements}_${s.outChannels}_${splitK}_${epilogueKey(epilogue)}${spanKey(output, s.outChannels)}`;
  }

  getUserCode(): string {
    const width = this.outputComponent;
    const sum = Array.from({ length: this.splitK }, (_, k) => `partial[index + ${k * this.elements}]`).join(' + ');
    const [stride, first] = [this.output.total / width, this.output.begin / width];
    return `
      fn main(index : i32) {
        _ = uniforms.NAN; // sizes are baked in; the binding TF.js always makes must stay in the layout
        if (index >= ${this.elements}) { return; }
        let col = index % ${this.columns};
        result[(index / ${this.columns}) * ${stride} + ${first} + col] = ${epilogueCode(this.epilogue, sum, 'col', width)};
      }
    `;
  }
}

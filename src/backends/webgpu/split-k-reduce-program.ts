import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { gemmRows, type ConvShape } from './conv-shape.js';
import { lanes, WORKGROUP, type Epilogue } from './implicit-gemm-program.js';

/** Sums ImplicitGemmProgram's split-K partials [splitK, rows, channels], then bias and ReLU. */
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

  constructor(
    s: ConvShape,
    private readonly splitK: number,
    private readonly epilogue: Epilogue,
  ) {
    const width = lanes(s.outChannels);
    this.variableNames = epilogue.bias ? ['partial', 'bias'] : ['partial'];
    this.variableComponents = this.variableNames.map(() => width);
    this.outputComponent = width;
    this.outputShape = [s.batch, s.outHeight, s.outWidth, s.outChannels];
    this.elements = (gemmRows(s) * s.outChannels) / width;
    this.dispatch = [Math.ceil(this.elements / WORKGROUP), 1, 1];
    this.shaderKey = `iwSplitKReduce_${this.elements}_${s.outChannels}_${splitK}_${Number(epilogue.bias)}${Number(epilogue.relu)}`;
  }

  getUserCode(): string {
    const width = this.outputComponent;
    const type = width === 4 ? 'vec4<f32>' : 'f32';
    const colTotal = this.outputShape[3]! / width;
    const sum = Array.from({ length: this.splitK }, (_, k) => `partial[index + ${k * this.elements}]`).join(' + ');
    const biased = this.epilogue.bias ? `(${sum}) + bias[index % ${colTotal}]` : sum;
    return `
      fn main(index : i32) {
        _ = uniforms.NAN; // sizes are baked in; the binding TF.js always makes must stay in the layout
        if (index >= ${this.elements}) { return; }
        result[index] = ${this.epilogue.relu ? `max(${biased}, ${type}(0.0))` : biased};
      }
    `;
  }
}

import { BakedProgram } from './baked-program.js';
import { lanes, spanKey, type ChannelSpan } from './channel-span.js';
import { gemmRows, type ConvShape } from './conv-shape.js';
import { epilogueCode, epilogueKey, epilogueVariables, type Epilogue } from './epilogue.js';

/**
 * Sums ImplicitGemmProgram's split-K partials [splitK, rows, channels], then runs the epilogue
 * (bias, activation) and writes into the output's channel span.
 */
export class SplitKReduceProgram extends BakedProgram {
  private readonly elements: number;
  private readonly columns: number;

  constructor(
    s: ConvShape,
    private readonly splitK: number,
    private readonly epilogue: Epilogue,
    private readonly output: ChannelSpan,
  ) {
    const width = lanes(s.outChannels, output);
    const variableNames = ['partial', ...epilogueVariables(epilogue)];
    const elements = (gemmRows(s) * s.outChannels) / width;
    super({
      shaderKey: `iwSplitKReduce_${elements}_${s.outChannels}_${splitK}_${epilogueKey(epilogue)}${spanKey(output, s.outChannels)}`,
      outputShape: [s.batch, s.outHeight, s.outWidth, output.total],
      variableNames,
      variableComponents: variableNames.map(() => width),
      outputComponent: width,
      invocations: elements,
    });
    this.columns = s.outChannels / width;
    this.elements = elements;
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

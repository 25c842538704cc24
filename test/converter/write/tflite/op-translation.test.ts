/** Node-by-node translation: output shapes TFLite needs, and loud failures on what it cannot translate. */
import { describe, expect, it } from 'vitest';
import { attr, constNode, type NodeDef } from '../../../../converter/graph/graph-def.js';
import type { GraphWeight } from '../../../../converter/graph/build-graph.js';
import { encodeTflite } from '../../../../converter/write/tflite/encode-tflite.js';
import { readRoot } from '../../../helpers/flatbuffer-reader.js';

const input = (shape: number[]): NodeDef => ({ name: 'x', op: 'Placeholder', attr: { dtype: attr.type('DT_FLOAT'), shape: attr.shape(shape) } });
const weight = (name: string, shape: number[]): { node: NodeDef; weight: GraphWeight } => ({
  node: constNode(name, 'DT_FLOAT', shape),
  weight: { name, dtype: 'float32', shape, quantizable: false, values: () => new Float32Array(shape.reduce((a, b) => a * b, 1)) },
});
const conv = (stride: number, padding: string, fusedOps = ['BiasAdd', 'Relu']): NodeDef => ({
  name: 'y',
  op: '_FusedConv2D',
  input: ['x', 'w', 'b'],
  attr: {
    strides: attr.ints([1, stride, stride, 1]),
    padding: attr.string(padding),
    fused_ops: attr.strings(fusedOps),
  },
});

/** Encodes x → `op` with a [kh, kw, 4, 8] kernel and returns the output tensor's shape. */
function outputShape(op: NodeDef, xShape: number[], kernel: number[]): number[] {
  const [w, b] = [weight('w', kernel), weight('b', [kernel[3] as number])];
  const bytes = encodeTflite({ nodes: [input(xShape), w.node, b.node, op], weights: [w.weight, b.weight], inputs: ['x'], outputs: [op.name], description: 't' });
  const [subgraph] = readRoot(bytes).root.tables(2);
  const out = subgraph!.int32s(2)[0] as number;
  return subgraph!.tables(0)[out]!.int32s(0);
}

describe('op translation', () => {
  it('works out conv output shapes as TF does: VALID stride 2, SAME stride 1 with a 1×7 window, dynamic batch as 1', () => {
    expect(outputShape(conv(2, 'VALID'), [-1, 35, 35, 4], [3, 3, 4, 8])).toEqual([1, 17, 17, 8]);
    expect(outputShape(conv(1, 'SAME'), [-1, 17, 17, 4], [1, 7, 4, 8])).toEqual([1, 17, 17, 8]);
  });

  it('refuses what it cannot translate, naming it', () => {
    expect(() => outputShape(conv(1, 'SAME', ['BiasAdd', 'Relu6']), [1, 9, 9, 4], [3, 3, 4, 8])).toThrow(/y fuses \[BiasAdd,Relu6\]/);
    expect(() => outputShape(conv(1, 'EXPLICIT'), [1, 9, 9, 4], [3, 3, 4, 8])).toThrow(/y has padding EXPLICIT/);
    expect(() => outputShape({ name: 'y', op: 'Softmax', input: ['x'] }, [1, 9, 9, 4], [3, 3, 4, 8])).toThrow(/no TFLite translation for Softmax \(node y\)/);
    expect(() => outputShape({ ...conv(1, 'SAME'), input: ['x', 'missing', 'b'] }, [1, 9, 9, 4], [3, 3, 4, 8])).toThrow(/'missing' is neither an earlier node nor a weight/);
  });
});

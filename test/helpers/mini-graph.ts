/**
 * Small graphs in the converter's own NodeDef form, for the graph passes' and the cost counter's
 * tests: a builder with the converter's ops, and `miniMixedBlock`, an Inception block in
 * miniature (two 1×1 heads, a 3×3 after one of them, a count_include_pad pool branch, and a
 * nested concat as in Mixed_7b).
 */
import type { GraphWeight, InceptionGraph } from '../../converter/graph/build-graph.js';
import { attr, constNode, type NodeDef } from '../../converter/graph/graph-def.js';

/** Deterministic values in [-0.5, 0.5), different for each `seed`. */
function pseudoRandom(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

export class MiniGraph {
  readonly nodes: NodeDef[] = [];
  readonly weights: GraphWeight[] = [];
  private seed = 1;

  input(name: string, shape: number[]): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: attr.type('DT_FLOAT'), shape: attr.shape(shape) } });
    return name;
  }

  constant(name: string, shape: number[], values: Float32Array | Int32Array): string {
    const dtype = values instanceof Int32Array ? 'int32' : 'float32';
    this.nodes.push(constNode(name, dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', shape));
    this.weights.push({ name, dtype, shape, quantizable: dtype === 'float32', values: () => values });
    return name;
  }

  /** A k×k stride-1 conv with bias and ReLU fused, as the converter emits each BasicConv2d. */
  conv(name: string, input: string, k: number, cin: number, cout: number): string {
    const kernel = this.constant(`${name}/kernel`, [k, k, cin, cout], pseudoRandom(k * k * cin * cout, this.seed++));
    const bias = this.constant(`${name}/bias`, [cout], pseudoRandom(cout, this.seed++));
    this.nodes.push({
      name,
      op: '_FusedConv2D',
      input: [input, kernel, bias],
      attr: {
        T: attr.type('DT_FLOAT'),
        data_format: attr.string('NHWC'),
        strides: attr.ints([1, 1, 1, 1]),
        dilations: attr.ints([1, 1, 1, 1]),
        padding: attr.string(k === 1 ? 'VALID' : 'SAME'),
        fused_ops: attr.strings(['BiasAdd', 'Relu']),
        num_args: attr.int(1),
        epsilon: attr.float(0),
      },
    });
    return name;
  }

  /** torchvision's avg_pool2d(3, 1, padding=1): explicit zero padding, then a VALID pool. */
  avgPool(name: string, input: string, padding = [0, 0, 1, 1, 1, 1, 0, 0]): string {
    const paddings = this.constant(`${name}/paddings`, [4, 2], Int32Array.from(padding));
    this.nodes.push({ name: `${name}/pad`, op: 'Pad', input: [input, paddings], attr: { T: attr.type('DT_FLOAT'), Tpaddings: attr.type('DT_INT32') } });
    this.nodes.push({
      name,
      op: 'AvgPool',
      input: [`${name}/pad`],
      attr: { T: attr.type('DT_FLOAT'), data_format: attr.string('NHWC'), ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, 1, 1, 1]), padding: attr.string('VALID') },
    });
    return name;
  }

  concat(name: string, inputs: string[]): string {
    const axis = this.nodes.some((n) => n.name === 'axis') ? 'axis' : this.constant('axis', [], Int32Array.of(3));
    this.nodes.push({ name, op: 'ConcatV2', input: [...inputs, axis], attr: { T: attr.type('DT_FLOAT'), N: attr.int(inputs.length), Tidx: attr.type('DT_INT32') } });
    return name;
  }

  mean(name: string, input: string): string {
    const axes = this.constant(`${name}/axes`, [2], Int32Array.of(1, 2));
    this.nodes.push({ name, op: 'Mean', input: [input, axes], attr: { T: attr.type('DT_FLOAT'), Tidx: attr.type('DT_INT32'), keep_dims: attr.bool(false) } });
    return name;
  }

  graph(outputs: string[]): InceptionGraph {
    return { nodes: [...this.nodes], weights: [...this.weights], outputs };
  }
}

/** x [1, 5, 5, 6] → block [1, 5, 5, 12]: 1×1 heads a (4) and b (5), 3×3 c and d (3 each) after b, pool branch p (2), with [c, d] concatenated first. */
export function miniMixedBlock(): InceptionGraph {
  const g = new MiniGraph();
  const x = g.input('x', [-1, 5, 5, 6]);
  const a = g.conv('block/a', x, 1, 6, 4);
  const b = g.conv('block/b', x, 1, 6, 5);
  const c = g.conv('block/c', b, 3, 5, 3);
  const d = g.conv('block/d', b, 3, 5, 3);
  const p = g.conv('block/p', g.avgPool('block/pool', x), 1, 6, 2);
  g.concat('block', [a, g.concat('block/pair', [c, d]), p]);
  return g.graph(['block']);
}

export const MINI_INPUT_SHAPE = [1, 5, 5, 6];

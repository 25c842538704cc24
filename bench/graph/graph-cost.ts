/**
 * Static cost of a converted graph at a given batch: ops by type, convs, GPU dispatches per
 * inference on TF.js's WebGPU backend, and bytes moved (float32 tensors each dispatch reads and
 * writes, weights included). Shapes are inferred here for the ops the converter emits, so the
 * count needs no backend and no weights' values (only the small int32 constants').
 *
 * Dispatches are stock TF.js's: one program per op, except Mean, which TF.js's WebGPU reduce runs
 * as a transpose (its axes are not innermost in NHWC) and a reduction; checked against the
 * programs TF.js really runs on lavapipe (bench/graph/count-dispatches.ts, which also counts what
 * the SDK's own kernels run). Bytes have two models:
 * - `stock`: every op reads its inputs and writes its output;
 * - `rangeKernels`, an estimate for kernels that read a channel range and write into a channel
 *   offset of a concat's output: a Slice read only by convs is free (the conv reads the range),
 *   and so is a concat whose inputs all come from convs or Slices (each producer writes its
 *   slice of the output).
 */
import type { InceptionGraph } from '../../converter/graph/build-graph.js';
import type { NodeDef } from '../../converter/graph/graph-def.js';
import { intsAttr, stringAttr } from '../../converter/graph/passes/graph-edit.js';

export type Shape = readonly number[];

export interface GraphCost {
  /** Ops other than Const and Placeholder, by type. */
  readonly ops: Record<string, number>;
  readonly opCount: number;
  /** Conv2D and _FusedConv2D (dense convs); the depthwise averages are counted apart. */
  readonly convs: number;
  readonly depthwiseConvs: number;
  /** Stock TF.js's WebGPU programs per inference. */
  readonly dispatches: number;
  readonly bytes: { readonly stock: number; readonly rangeKernels: number };
}

const CONVS = new Set(['Conv2D', '_FusedConv2D', 'FusedDepthwiseConv2dNative']);
const FREE = new Set(['Const', 'Placeholder']);

const elements = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** Output size of a window op along one spatial axis. */
function windowed(size: number, window: number, stride: number, padding: string): number {
  return padding === 'SAME' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
}

class ShapeTable {
  private readonly shapes = new Map<string, Shape>();
  private readonly weights: Map<string, InceptionGraph['weights'][number]>;

  constructor(private readonly graph: InceptionGraph, private readonly batch: number) {
    this.weights = new Map(graph.weights.map((w) => [w.name, w]));
  }

  int32(name: string): number[] {
    return Array.from(this.weights.get(name)?.values() ?? []);
  }

  isInt32Const(name: string): boolean {
    return this.weights.get(name)?.dtype === 'int32';
  }

  of(name: string): Shape {
    const known = this.shapes.get(name);
    if (known) return known;
    const node = this.graph.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`graph cost: no node '${name}'`);
    const shape = this.infer(node);
    this.shapes.set(name, shape);
    return shape;
  }

  private infer(node: NodeDef): Shape {
    const inputs = (node.input ?? []).map((i) => this.of(i));
    const x = inputs[0] as Shape;
    switch (node.op) {
      case 'Const':
        return (this.weights.get(node.name) as { shape: Shape }).shape;
      case 'Placeholder': {
        const dims = ((node.attr?.shape as { shape: { dim: { size: string }[] } }).shape.dim ?? []).map((d) => Number(d.size));
        return dims.map((d) => (d < 0 ? this.batch : d));
      }
      case 'Mul':
      case 'AddV2':
        return inputs.reduce((a, b) => (a.length >= b.length ? a : b));
      case 'Conv2D':
      case '_FusedConv2D':
      case 'FusedDepthwiseConv2dNative':
      case 'MaxPool':
      case 'AvgPool':
        return this.window(node, x, inputs[1]);
      case 'Pad': {
        const p = this.int32(node.input?.[1] as string);
        return x.map((d, i) => d + (p[2 * i] as number) + (p[2 * i + 1] as number));
      }
      case 'ConcatV2': {
        const [axis] = this.int32(node.input?.at(-1) as string) as [number];
        const values = inputs.slice(0, -1);
        return x.map((d, i) => (i === axis ? values.reduce((sum, s) => sum + (s[i] as number), 0) : d));
      }
      case 'Slice': {
        const [begin, size] = [this.int32(node.input?.[1] as string), this.int32(node.input?.[2] as string)];
        return x.map((d, i) => ((size[i] as number) < 0 ? d - (begin[i] as number) : (size[i] as number)));
      }
      case 'Mean': {
        const axes = this.int32(node.input?.[1] as string);
        return x.filter((_, i) => !axes.includes(i));
      }
      case '_FusedMatMul':
        return [x[0] as number, (inputs[1] as Shape)[1] as number];
      default:
        throw new Error(`graph cost: no shape rule for op '${node.op}' (${node.name})`);
    }
  }

  /** Convs and pools: NHWC in, a [kh, kw, cin, cout|multiplier] filter or a ksize. */
  private window(node: NodeDef, x: Shape, filter: Shape | undefined): Shape {
    const [n, h, w, c] = x as [number, number, number, number];
    const [kh, kw] = filter ? [filter[0] as number, filter[1] as number] : [intsAttr(node, 'ksize')[1] as number, intsAttr(node, 'ksize')[2] as number];
    const [, sh, sw] = intsAttr(node, 'strides') as [number, number, number];
    const padding = stringAttr(node, 'padding') ?? 'VALID';
    const channels = node.op === 'FusedDepthwiseConv2dNative' ? c * ((filter as Shape)[3] as number) : filter ? ((filter as Shape)[3] as number) : c;
    return [n, windowed(h, kh, sh, padding), windowed(w, kw, sw, padding), channels];
  }
}

/** The nodes that read `name`. */
const readers = (graph: InceptionGraph, name: string) => graph.nodes.filter((n) => n.input?.includes(name));

/** Whether a kernel that reads channel ranges and writes concat slices makes `node` free. */
function freeWithRangeKernels(graph: InceptionGraph, node: NodeDef): boolean {
  if (node.op === 'Slice') return readers(graph, node.name).every((r) => CONVS.has(r.op));
  if (node.op !== 'ConcatV2') return false;
  return (node.input ?? []).slice(0, -1).every((i) => {
    const producer = graph.nodes.find((n) => n.name === i);
    return producer !== undefined && (CONVS.has(producer.op) || producer.op === 'Slice');
  });
}

export function graphCost(graph: InceptionGraph, batch = 1): GraphCost {
  const shapes = new ShapeTable(graph, batch);
  const ops: Record<string, number> = {};
  let [dispatches, bytesStock, bytesRange] = [0, 0, 0];
  for (const node of graph.nodes.filter((n) => !FREE.has(n.op))) {
    ops[node.op] = (ops[node.op] ?? 0) + 1;
    const floatInputs = (node.input ?? []).filter((i) => !shapes.isInt32Const(i));
    // A slice reads only its range; any other op reads its inputs whole.
    const read = node.op === 'Slice' ? elements(shapes.of(node.name)) : floatInputs.reduce((sum, i) => sum + elements(shapes.of(i)), 0);
    const bytes = 4 * (read + elements(shapes.of(node.name)));
    dispatches += node.op === 'Mean' ? 2 : 1;
    bytesStock += bytes;
    if (!freeWithRangeKernels(graph, node)) bytesRange += bytes;
  }
  const count = (...names: string[]) => names.reduce((sum, op) => sum + (ops[op] ?? 0), 0);
  return {
    ops,
    opCount: count(...Object.keys(ops)),
    convs: count('Conv2D', '_FusedConv2D'),
    depthwiseConvs: count('FusedDepthwiseConv2dNative'),
    dispatches,
    bytes: { stock: bytesStock, rangeKernels: bytesRange },
  };
}

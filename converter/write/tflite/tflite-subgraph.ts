/**
 * The TFLite subgraph under construction: tensors (each constant with its own buffer), the
 * operator codes in first-use order, and the operators in execution order.
 */
import type { FbTable } from './flatbuffer-builder.js';
import { buffer, operator, operatorCode, tensor, TENSOR_TYPE, type BuiltinOpName, type BuiltinOptions } from './tflite-schema.js';

export interface TensorRef {
  readonly index: number;
  readonly shape: readonly number[];
}

const bytesOf = (values: Float32Array | Int32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

export class TfliteSubgraph {
  readonly tensors: FbTable[] = [];
  /** Buffer 0 is the schema's empty sentinel, which every non-constant tensor points to. */
  readonly buffers: FbTable[] = [buffer()];
  readonly operators: FbTable[] = [];
  readonly operatorCodes: FbTable[] = [];
  /** Bytes of constant data so far, to size the output buffer. */
  weightBytes = 0;
  private readonly opcodeIndex = new Map<BuiltinOpName, number>();

  /** An activation tensor (float32, no data). */
  activation(name: string, shape: readonly number[]): TensorRef {
    this.tensors.push(tensor(shape, TENSOR_TYPE.float32, 0, name));
    return { index: this.tensors.length - 1, shape };
  }

  /** A constant tensor with its data in a buffer of its own. */
  constant(name: string, shape: readonly number[], values: Float32Array | Int32Array): TensorRef {
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected) throw new Error(`internal: constant ${name} has ${values.length} values for shape [${shape.join(', ')}]`);
    this.buffers.push(buffer(bytesOf(values)));
    this.weightBytes += values.byteLength;
    const type = values instanceof Int32Array ? TENSOR_TYPE.int32 : TENSOR_TYPE.float32;
    this.tensors.push(tensor(shape, type, this.buffers.length - 1, name));
    return { index: this.tensors.length - 1, shape };
  }

  /** Appends an operator; returns its output tensor. */
  addOperator(op: BuiltinOpName, inputs: readonly TensorRef[], output: TensorRef, options: BuiltinOptions): TensorRef {
    let code = this.opcodeIndex.get(op);
    if (code === undefined) {
      code = this.operatorCodes.length;
      this.operatorCodes.push(operatorCode(op));
      this.opcodeIndex.set(op, code);
    }
    this.operators.push(operator(code, inputs.map((t) => t.index), [output.index], options));
    return output;
  }
}

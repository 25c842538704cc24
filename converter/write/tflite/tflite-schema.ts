/**
 * The parts of TFLite's published schema (tensorflow/lite/schema/schema.fbs, file identifier
 * "TFL3", schema version 3) that an fp32 Inception V3 uses, as FlatBuffer tables. Field order is
 * the schema's: a table's i-th entry is its i-th field.
 */
import { fb, type FbObject, type FbScalar, type FbTable } from './flatbuffer-builder.js';

export const TFLITE_IDENTIFIER = 'TFL3';
export const TFLITE_SCHEMA_VERSION = 3;

/** TensorType values. */
export const TENSOR_TYPE = { float32: 0, int32: 2 } as const;

/** BuiltinOperator codes. */
export const BUILTIN_OP = {
  ADD: 0,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  FULLY_CONNECTED: 9,
  MAX_POOL_2D: 17,
  MUL: 18,
  MEAN: 40,
} as const;

export type BuiltinOpName = keyof typeof BUILTIN_OP;

/** Position of each options table in the BuiltinOptions union (NONE is 0). */
const OPTIONS_TYPE = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  ConcatenationOptions: 10,
  AddOptions: 11,
  MulOptions: 21,
  ReducerOptions: 27,
} as const;

export type Padding = 'SAME' | 'VALID';
const PADDING: Record<Padding, number> = { SAME: 0, VALID: 1 };
export type Activation = 'NONE' | 'RELU';
const ACTIVATION: Record<Activation, number> = { NONE: 0, RELU: 1 };

/** A builtin operator's options: which union member, and its table. */
export interface BuiltinOptions {
  readonly type: number;
  readonly table: FbTable;
}

const padding = (p: Padding) => fb.int8(PADDING[p]);
const activation = (a: Activation) => fb.int8(ACTIVATION[a]);

/** The options tables, with the schema's field order. */
export const options = {
  conv2d: (p: Padding, stride: number, act: Activation): BuiltinOptions => ({
    type: OPTIONS_TYPE.Conv2DOptions,
    // padding, stride_w, stride_h, fused_activation_function, dilation_w_factor, dilation_h_factor
    table: fb.table([padding(p), fb.int32(stride), fb.int32(stride), activation(act), fb.int32(1), fb.int32(1)]),
  }),
  depthwiseConv2d: (p: Padding, stride: number, act: Activation): BuiltinOptions => ({
    type: OPTIONS_TYPE.DepthwiseConv2DOptions,
    // padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w, dilation_h
    table: fb.table([padding(p), fb.int32(stride), fb.int32(stride), fb.int32(1), activation(act), fb.int32(1), fb.int32(1)]),
  }),
  pool2d: (p: Padding, stride: number, filter: number): BuiltinOptions => ({
    type: OPTIONS_TYPE.Pool2DOptions,
    // padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function
    table: fb.table([padding(p), fb.int32(stride), fb.int32(stride), fb.int32(filter), fb.int32(filter), activation('NONE')]),
  }),
  fullyConnected: (act: Activation): BuiltinOptions => ({ type: OPTIONS_TYPE.FullyConnectedOptions, table: fb.table([activation(act)]) }),
  concatenation: (axis: number): BuiltinOptions => ({
    type: OPTIONS_TYPE.ConcatenationOptions,
    table: fb.table([fb.int32(axis), activation('NONE')]),
  }),
  add: (): BuiltinOptions => ({ type: OPTIONS_TYPE.AddOptions, table: fb.table([activation('NONE')]) }),
  mul: (): BuiltinOptions => ({ type: OPTIONS_TYPE.MulOptions, table: fb.table([activation('NONE')]) }),
  reducer: (keepDims: boolean): BuiltinOptions => ({ type: OPTIONS_TYPE.ReducerOptions, table: fb.table([fb.bool(keepDims)]) }),
};

/** OperatorCode: deprecated_builtin_code (int8), custom_code, version, builtin_code (int32). */
export const operatorCode = (op: BuiltinOpName): FbTable =>
  fb.table([fb.int8(Math.min(BUILTIN_OP[op], 127)), undefined, fb.int32(1), fb.int32(BUILTIN_OP[op])]);

/** Operator: opcode_index, inputs, outputs, builtin_options_type, builtin_options. */
export const operator = (opcodeIndex: number, inputs: readonly number[], outputs: readonly number[], opts: BuiltinOptions): FbTable =>
  fb.table([fb.uint32(opcodeIndex), fb.vector('int32', inputs), fb.vector('int32', outputs), fb.scalar('uint8', opts.type), opts.table]);

/** Tensor: shape, type, buffer, name. */
export const tensor = (shape: readonly number[], type: number, buffer: number, name: string): FbTable =>
  fb.table([fb.vector('int32', shape), fb.int8(type), fb.uint32(buffer), fb.string(name)]);

/** Buffer: data, 16-byte aligned as the schema asks (force_align: 16). */
export const buffer = (data?: Uint8Array): FbTable => fb.table([data && fb.bytes(data, 16)]);

/** TensorMap: name, tensor_index. */
const tensorMap = (name: string, index: number): FbTable => fb.table([fb.string(name), fb.uint32(index)]);

/** SignatureDef: inputs, outputs, signature_key, (deprecated tag), subgraph_index. */
export const signatureDef = (key: string, inputs: Readonly<Record<string, number>>, outputs: Readonly<Record<string, number>>): FbTable =>
  fb.table([
    fb.tables(Object.entries(inputs).map(([name, index]) => tensorMap(name, index))),
    fb.tables(Object.entries(outputs).map(([name, index]) => tensorMap(name, index))),
    fb.string(key),
    undefined,
    fb.uint32(0),
  ]);

/** SubGraph: tensors, inputs, outputs, operators, name. */
export const subGraph = (tensors: FbTable[], inputs: number[], outputs: number[], operators: FbTable[], name: string): FbTable =>
  fb.table([fb.tables(tensors), fb.vector('int32', inputs), fb.vector('int32', outputs), fb.tables(operators), fb.string(name)]);

/** Metadata: name, buffer (an index into the model's buffers). */
export const metadata = (name: string, bufferIndex: number): FbTable => fb.table([fb.string(name), fb.uint32(bufferIndex)]);

export interface ModelTables {
  readonly operatorCodes: FbTable[];
  readonly subgraph: FbTable;
  readonly description: string;
  readonly buffers: FbTable[];
  readonly metadata: FbTable[];
  readonly signatures: FbTable[];
}

/** Model: version, operator_codes, subgraphs, description, buffers, metadata_buffer, metadata, signature_defs. */
export function model(tables: ModelTables): FbTable {
  const fields: (FbScalar | FbObject | undefined)[] = [
    fb.uint32(TFLITE_SCHEMA_VERSION),
    fb.tables(tables.operatorCodes),
    fb.tables([tables.subgraph]),
    fb.string(tables.description),
    fb.tables(tables.buffers),
    undefined,
    fb.tables(tables.metadata),
    fb.tables(tables.signatures),
  ];
  return fb.table(fields);
}

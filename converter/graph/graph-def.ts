/**
 * TensorFlow GraphDef nodes in the protobuf-JSON form that `tf.loadGraphModel` reads: attribute
 * strings are base64, 64-bit integers are decimal strings.
 */

export type TfDType = 'DT_FLOAT' | 'DT_INT32';

export type AttrValue =
  | { type: TfDType }
  | { s: string }
  | { i: string }
  | { f: number }
  | { b: boolean }
  | { list: { i?: string[]; s?: string[] } }
  | { shape: { dim: { size: string }[] } }
  | { tensor: { dtype: TfDType; tensorShape: { dim: { size: string }[] } } };

export interface NodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const dims = (shape: readonly number[]) => ({ dim: shape.map((size) => ({ size: String(size) })) });

export const attr = {
  type: (type: TfDType): AttrValue => ({ type }),
  string: (value: string): AttrValue => ({ s: base64(value) }),
  strings: (values: string[]): AttrValue => ({ list: { s: values.map(base64) } }),
  int: (value: number): AttrValue => ({ i: String(value) }),
  float: (value: number): AttrValue => ({ f: value }),
  bool: (value: boolean): AttrValue => ({ b: value }),
  ints: (values: readonly number[]): AttrValue => ({ list: { i: values.map(String) } }),
  shape: (shape: readonly number[]): AttrValue => ({ shape: dims(shape) }),
  tensor: (dtype: TfDType, shape: readonly number[]): AttrValue => ({ tensor: { dtype, tensorShape: dims(shape) } }),
};

/** A Const node; its value lives in the weights manifest under the same name. */
export function constNode(name: string, dtype: TfDType, shape: readonly number[]): NodeDef {
  return { name, op: 'Const', attr: { dtype: attr.type(dtype), value: attr.tensor(dtype, shape) } };
}

/**
 * A converted graph's nodes as model.json stores them (TF NodeDefs in JSON), and the attribute
 * reads the load-time rewrites share. Strings are base64, as TF.js reads them.
 */

export interface NodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrJson>;
}

export interface AttrJson {
  s?: string;
  i?: string | number;
  f?: number;
  type?: string;
  list?: { s?: string[]; i?: (string | number)[] };
  tensor?: { dtype: string; tensorShape: { dim: { size: string }[] } };
}

/** An input's node name: 'a:0' and '^a' name node 'a'. */
export const nodeOf = (input: string) => input.replace(/^\^/, '').replace(/:\d+$/, '');

export const text = (attr: AttrJson | undefined): string | undefined => (attr?.s === undefined ? undefined : atob(attr.s));
export const ints = (attr: AttrJson | undefined): number[] => (attr?.list?.i ?? []).map(Number);
export const texts = (attr: AttrJson | undefined): string[] => (attr?.list?.s ?? []).map((s) => atob(s));
export const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** NHWC, no dilation: the only layout our kernels (and the converter) use. */
export const isPlainNhwc = (node: NodeJson): boolean =>
  (text(node.attr?.data_format) ?? 'NHWC') === 'NHWC' && ints(node.attr?.dilations).every((d) => d === 1);

/** A Const node for a weight the rewrite adds. */
export function constJson(name: string, dtype: 'float32' | 'int32', shape: readonly number[]): NodeJson {
  const type = dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32';
  return { name, op: 'Const', attr: { dtype: { type }, value: { tensor: { dtype: type, tensorShape: { dim: shape.map((size) => ({ size: `${size}` })) } } } } };
}

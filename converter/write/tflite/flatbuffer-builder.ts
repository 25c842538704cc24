/**
 * A small FlatBuffers writer: describe the file as a tree of tables, vectors and strings, then
 * `serializeFlatBuffer` lays it out. It writes front to back, each object before the objects it
 * refers to, because FlatBuffers' unsigned offsets may only point forward; an offset is patched
 * once its target has a position. Only what the TFLite schema needs: 1/2/4-byte scalars, no unions
 * of structs, no 8-byte fields.
 */

export type ScalarType = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';

const SCALAR_BYTES: Record<ScalarType, 1 | 2 | 4> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4 };

export interface FbScalar {
  readonly kind: 'scalar';
  readonly type: ScalarType;
  readonly value: number;
}

/** A table; `fields[i]` is field i of the schema (its vtable slot), undefined when absent. */
export interface FbTable {
  readonly kind: 'table';
  readonly fields: readonly (FbScalar | FbObject | undefined)[];
}

export interface FbScalarVector {
  readonly kind: 'scalars';
  readonly type: ScalarType;
  readonly values: ArrayLike<number>;
}

/** Raw bytes ([ubyte]), whose first byte lands on a multiple of `align` (the schema's force_align). */
export interface FbBytes {
  readonly kind: 'bytes';
  readonly bytes: Uint8Array;
  readonly align: number;
}

export interface FbString {
  readonly kind: 'string';
  readonly text: string;
}

export interface FbTableVector {
  readonly kind: 'tables';
  readonly tables: readonly FbTable[];
}

export type FbObject = FbTable | FbScalarVector | FbBytes | FbString | FbTableVector;

/** Constructors for the tree, so a schema table reads as one line per field. */
export const fb = {
  table: (fields: readonly (FbScalar | FbObject | undefined)[]): FbTable => ({ kind: 'table', fields }),
  scalar: (type: ScalarType, value: number): FbScalar => ({ kind: 'scalar', type, value }),
  int8: (value: number): FbScalar => fb.scalar('int8', value),
  int32: (value: number): FbScalar => fb.scalar('int32', value),
  uint32: (value: number): FbScalar => fb.scalar('uint32', value),
  bool: (value: boolean): FbScalar => fb.scalar('bool', value ? 1 : 0),
  vector: (type: ScalarType, values: ArrayLike<number>): FbScalarVector => ({ kind: 'scalars', type, values }),
  bytes: (bytes: Uint8Array, align = 1): FbBytes => ({ kind: 'bytes', bytes, align }),
  string: (text: string): FbString => ({ kind: 'string', text }),
  tables: (tables: readonly FbTable[]): FbTableVector => ({ kind: 'tables', tables }),
};

/** A growable little-endian byte buffer with aligned appends and in-place patches. */
class ByteSink {
  private buffer: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialBytes: number) {
    this.buffer = new Uint8Array(Math.max(initialBytes, 64));
    this.view = new DataView(this.buffer.buffer);
  }

  /** Reserves `bytes` at the end and returns their position. */
  reserve(bytes: number): number {
    const at = this.length;
    if (at + bytes > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, at + bytes));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += bytes;
    return at;
  }

  /** Pads with zeros until `length + extra` is a multiple of `align`. */
  alignFor(extra: number, align: number): void {
    const padding = (align - ((this.length + extra) % align)) % align;
    this.reserve(padding);
  }

  setScalar(at: number, type: ScalarType, value: number): void {
    const v = this.view;
    switch (type) {
      case 'bool':
      case 'uint8':
        return v.setUint8(at, value);
      case 'int8':
        return v.setInt8(at, value);
      case 'int16':
        return v.setInt16(at, value, true);
      case 'uint16':
        return v.setUint16(at, value, true);
      case 'int32':
        return v.setInt32(at, value, true);
      case 'uint32':
        return v.setUint32(at, value, true);
      case 'float32':
        return v.setFloat32(at, value, true);
    }
  }

  setBytes(at: number, bytes: Uint8Array): void {
    this.buffer.set(bytes, at);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** An offset field waiting for its target: the uoffset at `at` will point to `target`. */
interface PendingRef {
  readonly at: number;
  readonly target: FbObject;
}

/** Writes the object's own bytes and returns its position and the offsets it still owes. */
function writeObject(sink: ByteSink, object: FbObject): { at: number; refs: PendingRef[] } {
  switch (object.kind) {
    case 'table':
      return writeTable(sink, object);
    case 'scalars': {
      const size = SCALAR_BYTES[object.type];
      const at = writeLength(sink, object.values.length, size);
      for (let i = 0; i < object.values.length; i++) sink.setScalar(sink.reserve(size), object.type, object.values[i] as number);
      return { at, refs: [] };
    }
    case 'bytes': {
      const at = writeLength(sink, object.bytes.length, object.align);
      sink.setBytes(sink.reserve(object.bytes.length), object.bytes);
      return { at, refs: [] };
    }
    case 'string': {
      const utf8 = new TextEncoder().encode(object.text);
      const at = writeLength(sink, utf8.length, 1);
      sink.setBytes(sink.reserve(utf8.length + 1), utf8); // the trailing zero FlatBuffers requires
      return { at, refs: [] };
    }
    case 'tables': {
      const at = writeLength(sink, object.tables.length, 4);
      const refs = object.tables.map((target) => ({ at: sink.reserve(4), target }));
      return { at, refs };
    }
  }
}

/** A vector's uint32 length, placed so that its first element is aligned to `align` (at least 4). */
function writeLength(sink: ByteSink, count: number, align: number): number {
  sink.alignFor(4, Math.max(align, 4));
  const at = sink.reserve(4);
  sink.setScalar(at, 'uint32', count);
  return at;
}

const fieldBytes = (field: FbScalar | FbObject): number => (field.kind === 'scalar' ? SCALAR_BYTES[field.type] : 4);

/**
 * The vtable (uint16 sizes and field offsets), then the table: an int32 back to its vtable and the
 * fields, largest first so none needs padding.
 */
function writeTable(sink: ByteSink, table: FbTable): { at: number; refs: PendingRef[] } {
  const present = table.fields.flatMap((field, slot) => (field === undefined ? [] : [{ field, slot }]));
  present.sort((a, b) => fieldBytes(b.field) - fieldBytes(a.field));
  const slots = table.fields.length;
  const offsets = new Array<number>(slots).fill(0);
  let size = 4;
  for (const { field, slot } of present) {
    offsets[slot] = size;
    size += fieldBytes(field);
  }
  const vtableBytes = 4 + 2 * slots;
  sink.alignFor(vtableBytes, 4);
  const vtable = sink.reserve(vtableBytes);
  sink.setScalar(vtable, 'uint16', vtableBytes);
  sink.setScalar(vtable + 2, 'uint16', size);
  offsets.forEach((offset, slot) => sink.setScalar(vtable + 4 + 2 * slot, 'uint16', offset));
  const at = sink.reserve(size);
  sink.setScalar(at, 'int32', at - vtable);
  const refs: PendingRef[] = [];
  for (const { field, slot } of present) {
    const fieldAt = at + (offsets[slot] as number);
    if (field.kind === 'scalar') sink.setScalar(fieldAt, field.type, field.value);
    else refs.push({ at: fieldAt, target: field });
  }
  return { at, refs };
}

/** Writes `object` and, depth first, everything it refers to, patching each offset. */
function writeTree(sink: ByteSink, object: FbObject): number {
  const { at, refs } = writeObject(sink, object);
  for (const ref of refs) {
    const target = writeTree(sink, ref.target);
    sink.setScalar(ref.at, 'uint32', target - ref.at);
  }
  return at;
}

/**
 * The finished buffer: the root table's offset, the 4-character file identifier, then the tree.
 * `sizeHint` (bytes) avoids regrowing a buffer that holds large weight vectors.
 */
export function serializeFlatBuffer(root: FbTable, identifier: string, sizeHint = 1 << 16): Uint8Array {
  if (identifier.length !== 4) throw new Error(`a FlatBuffers file identifier has 4 characters, got '${identifier}'`);
  const sink = new ByteSink(sizeHint);
  const header = sink.reserve(8);
  sink.setBytes(header + 4, new TextEncoder().encode(identifier));
  sink.setScalar(header, 'uint32', writeTree(sink, root));
  return sink.result();
}

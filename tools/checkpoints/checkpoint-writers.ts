import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { PickleWriter } from './torch-pickle-writer.js';

/** A tensor to write: float32 weights, or int64 for `num_batches_tracked` (shape []). */
export interface WritableTensor {
  readonly dtype: 'float32' | 'int64';
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

export type WritableTensors = ReadonlyMap<string, WritableTensor>;

const STORAGE_TYPES = { float32: 'FloatStorage', int64: 'LongStorage' } as const;
const SAFETENSORS_DTYPES = { float32: 'F32', int64: 'I64' } as const;
/** What `torch.save` writes as the first pickle of a legacy file. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const ZIP_ALIGNMENT = 64;

/**
 * Writes what `torch.save(state_dict, path)` writes since PyTorch 1.6: a ZIP (STORED entries, data
 * 64-byte aligned with an "FB" padding field, data descriptors, zip64 end records) holding
 * `archive/data.pkl`, `archive/data/<i>` and `archive/version`. Streams to disk.
 */
export function writeTorchZipCheckpoint(path: string, tensors: WritableTensors): void {
  const keys = [...tensors.keys()].map((_, i) => String(i));
  const zip = new ZipStreamWriter(path);
  try {
    zip.add('archive/data.pkl', [stateDictPickle(ownStorages(tensors, keys), false)]);
    [...tensors.values()].forEach((t, i) => zip.add(`archive/data/${keys[i]}`, [bytesOf(t)]));
    zip.add('archive/version', [new TextEncoder().encode('3\n')]);
    zip.finish();
  } finally {
    zip.close();
  }
}

/** How to store one entry of a crafted ZIP. */
export interface ZipEntryOptions {
  /** Deflate the entry (PyTorch stores, but other zip tools deflate). @default false */
  readonly deflate?: boolean;
  /** The uncompressed size the directory claims, to forge a zip bomb. @default the real size */
  readonly declaredSize?: number;
}

/** A ZIP laid out like PyTorch's (for crafting damaged or hostile archives in tests). */
export function writeStoredZip(
  path: string,
  entries: ReadonlyMap<string, Uint8Array>,
  options: ReadonlyMap<string, ZipEntryOptions> = new Map(),
): void {
  const zip = new ZipStreamWriter(path);
  try {
    for (const [name, data] of entries) zip.add(name, [data], options.get(name));
    zip.finish();
  } finally {
    zip.close();
  }
}

/**
 * Writes what `torch.save(..., _use_new_zipfile_serialization=False)` writes: magic number,
 * protocol 1001 and sys_info pickles, the state_dict pickle, the sorted storage keys, then each
 * storage as an int64 element count and its bytes.
 */
export function writeTorchLegacyCheckpoint(path: string, tensors: WritableTensors): void {
  const list = [...tensors.values()];
  const keys = list.map((_, i) => String(i));
  const order = keys.map((key, i) => ({ key, tensor: list[i]! })).sort((a, b) => (a.key < b.key ? -1 : 1));
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, new PickleWriter().long(LEGACY_MAGIC).finish());
    writeAll(fd, new PickleWriter().int(1001).finish());
    writeAll(fd, sysInfoPickle());
    writeAll(fd, stateDictPickle(ownStorages(tensors, keys), true));
    writeAll(
      fd,
      new PickleWriter()
        .op(0x5d)
        .put()
        .appendStrings(order.map((o) => o.key))
        .finish(),
    );
    for (const { tensor } of order) {
      writeAll(fd, new Uint8Array(new BigInt64Array([BigInt(tensor.data.length)]).buffer));
      writeAll(fd, bytesOf(tensor));
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes safetensors as the reference tools do: u64 header length, space-padded JSON header, data. */
export function writeSafetensors(path: string, tensors: WritableTensors): void {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    checkLength(name, t);
    header[name] = {
      dtype: SAFETENSORS_DTYPES[t.dtype],
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  const json = JSON.stringify(header);
  const padded = new TextEncoder().encode(json + ' '.repeat((8 - (json.length % 8)) % 8));
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, new Uint8Array(new BigUint64Array([BigInt(padded.length)]).buffer));
    writeAll(fd, padded);
    for (const t of tensors.values()) writeAll(fd, bytesOf(t));
  } finally {
    closeSync(fd);
  }
}

/** A tensor as the pickle names it: a row-major view `offset` elements into storage `key`. */
interface StorageView {
  readonly name: string;
  readonly dtype: WritableTensor['dtype'];
  readonly shape: readonly number[];
  readonly key: string;
  /** Elements in the whole storage. */
  readonly numel: number;
  readonly offset: number;
}

/** One storage per tensor, as torch.save writes an ordinary state_dict. */
function ownStorages(tensors: WritableTensors, keys: readonly string[]): StorageView[] {
  return [...tensors].map(([name, tensor], i) => {
    checkLength(name, tensor);
    return { name, dtype: tensor.dtype, shape: tensor.shape, key: keys[i]!, numel: tensor.data.length, offset: 0 };
  });
}

/** OrderedDict of `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())` per tensor. */
function stateDictPickle(views: readonly StorageView[], legacy: boolean): Uint8Array {
  const p = new PickleWriter().orderedDict();
  p.setItems(views, ({ name, dtype, shape, key, numel, offset }) => {
    p.str(name).global('torch._utils', '_rebuild_tensor_v2');
    p.tuple(6, () => {
      p.tuple(legacy ? 6 : 5, () => {
        p.str('storage').global('torch', STORAGE_TYPES[dtype]).str(key).str('cpu').int(numel);
        if (legacy) p.op(0x4e); // no storage view
      });
      p.op(0x51).int(offset).intTuple(shape).intTuple(rowMajorStrides(shape)); // BINPERSID
      p.op(0x89).orderedDict(); // requires_grad=False, no backward hooks
    });
    p.reduce();
  });
  return p.finish();
}

/**
 * A float32 zip checkpoint whose tensors are all consecutive views of one storage, as
 * flat-parameter training code saves them; `deflate` compresses that storage as zip tools do.
 */
export function writeFlatStorageZip(path: string, shapes: ReadonlyMap<string, readonly number[]>, deflate: boolean): void {
  const views: StorageView[] = [];
  let offset = 0;
  for (const [name, shape] of shapes) {
    views.push({ name, dtype: 'float32', shape, key: '0', numel: 0, offset });
    offset += shape.reduce((a, b) => a * b, 1);
  }
  // A short repeating pattern: cheap to deflate, and still a different value at neighbouring indices.
  const storage = Float32Array.from({ length: offset }, (_, i) => ((i * 7) % 1000) / 8);
  const entries = new Map([
    ['archive/data.pkl', stateDictPickle(views.map((v) => ({ ...v, numel: offset })), false)],
    ['archive/data/0', new Uint8Array(storage.buffer)],
  ]);
  writeStoredZip(path, entries, new Map([['archive/data/0', { deflate }]]));
}

function sysInfoPickle(): Uint8Array {
  const p = new PickleWriter().op(0x7d).put(); // EMPTY_DICT
  p.op(0x28).str('protocol_version').int(1001).str('little_endian').op(0x88);
  p.str('type_sizes').op(0x7d).put().op(0x28).str('short').int(2).str('int').int(4).str('long').int(4).op(0x75);
  return p.op(0x75).finish();
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

function checkLength(name: string, t: WritableTensor): void {
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== numel) {
    throw new RangeError(`${name}: shape [${t.shape.join(', ')}] needs ${numel} values, got ${t.data.length}`);
  }
}

/** writeSync may write less than asked; loop until the chunk is on disk. */
function writeAll(fd: number, chunk: Uint8Array): number {
  for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done);
  return chunk.length;
}

function bytesOf(t: WritableTensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Streams STORED entries the way PyTorch's miniz-based writer lays them out. */
class ZipStreamWriter {
  private readonly fd: number;
  private readonly central: Uint8Array[] = [];
  private pos = 0;
  private count = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  add(name: string, chunks: readonly Uint8Array[], options: ZipEntryOptions = {}): void {
    if (options.deflate || options.declaredSize !== undefined) return this.addWhole(name, Buffer.concat(chunks), options);
    const nameBytes = new TextEncoder().encode(name);
    const headerEnd = this.pos + 30 + nameBytes.length + 4;
    const padding = (ZIP_ALIGNMENT - (headerEnd % ZIP_ALIGNMENT)) % ZIP_ALIGNMENT;
    const start = this.pos;
    const local = record(30, (v) => {
      v.u32(0x04034b50).u16(0).u16(0x0808).u16(0).u32(0).u32(0).u32(0).u32(0); // sizes in the data descriptor
      v.u16(nameBytes.length).u16(4 + padding);
    });
    this.write(
      local,
      nameBytes,
      record(4, (v) => v.u16(0x4246).u16(padding)),
      new Uint8Array(padding).fill(0x5a),
    );
    let crc = 0;
    let size = 0;
    for (const chunk of chunks) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      this.write(chunk);
    }
    this.write(record(16, (v) => v.u32(0x08074b50).u32(crc).u32(size).u32(size)));
    this.central.push(
      record(46, (v) => {
        v.u32(0x02014b50).u16(0).u16(0).u16(0x0808).u16(0).u32(0).u32(crc).u32(size).u32(size);
        v.u16(nameBytes.length).u16(0).u16(0).u16(0).u16(0).u32(0).u32(start);
      }),
      nameBytes,
    );
    this.count++;
  }

  /** One entry from a single buffer, deflated and/or with a forged uncompressed size. */
  private addWhole(name: string, data: Uint8Array, options: ZipEntryOptions): void {
    const nameBytes = new TextEncoder().encode(name);
    const method = options.deflate ? 8 : 0;
    const body = options.deflate ? deflateRawSync(data) : data;
    const size = options.declaredSize ?? data.length;
    const crc = crc32(data);
    const start = this.pos;
    this.write(
      record(30, (v) => {
        v.u32(0x04034b50).u16(20).u16(0).u16(method).u32(0).u32(crc).u32(body.length).u32(size);
        v.u16(nameBytes.length).u16(0);
      }),
      nameBytes,
      body,
    );
    this.central.push(
      record(46, (v) => {
        v.u32(0x02014b50).u16(20).u16(20).u16(0).u16(method).u32(0).u32(crc).u32(body.length).u32(size);
        v.u16(nameBytes.length).u16(0).u16(0).u16(0).u16(0).u32(0).u32(start);
      }),
      nameBytes,
    );
    this.count++;
  }

  /** Central directory, then the zip64 end record and locator PyTorch always writes, then the classic end record. */
  finish(): void {
    const cdStart = this.pos;
    this.write(...this.central);
    const cdSize = this.pos - cdStart;
    const zip64End = this.pos;
    this.write(
      record(56, (v) =>
        v
          .u32(0x06064b50)
          .u64(44)
          .u16(0x031e)
          .u16(0x2d)
          .u32(0)
          .u32(0)
          .u64(this.count)
          .u64(this.count)
          .u64(cdSize)
          .u64(cdStart),
      ),
      record(20, (v) => v.u32(0x07064b50).u32(0).u64(zip64End).u32(1)),
      record(22, (v) =>
        v.u32(0x06054b50).u16(0).u16(0).u16(this.count).u16(this.count).u32(cdSize).u32(cdStart).u16(0),
      ),
    );
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(...chunks: Uint8Array[]): void {
    for (const chunk of chunks) this.pos += writeAll(this.fd, chunk);
  }
}

interface RecordView {
  u16(value: number): RecordView;
  u32(value: number): RecordView;
  u64(value: number): RecordView;
}

/** A little-endian record of `size` bytes filled field by field. */
function record(size: number, fill: (v: RecordView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const v: RecordView = {
    u16: (value) => (view.setUint16(at, value, true), (at += 2), v),
    u32: (value) => (view.setUint32(at, value >>> 0, true), (at += 4), v),
    u64: (value) => (view.setBigUint64(at, BigInt(value), true), (at += 8), v),
  };
  fill(v);
  if (at !== size) throw new Error(`zip record filled ${at} of ${size} bytes`);
  return bytes;
}

import { readFileSync, writeFileSync } from 'node:fs';
import type { ConverterErrorCode } from '../../converter/errors.js';
import { writeSafetensors, writeStoredZip, writeTorchLegacyCheckpoint, writeTorchZipCheckpoint, type WritableTensor } from '../../tools/checkpoints/checkpoint-writers.js';

/**
 * The crafted-checkpoint corpus: one case per class of hostile or broken file the readers must
 * refuse with a typed error, quickly and in bounded memory. A mutation the fuzzer ever found
 * failing is added here as a case of its own, so it stays fixed.
 * `scripts/make-fuzz-corpus.ts` writes the same files to a folder, for trying the CLI on them.
 */
export interface HostileCheckpoint {
  readonly name: string;
  readonly write: (path: string) => void;
  /** The error code the file must be refused with. */
  readonly code: ConverterErrorCode;
  /** What the message must say, where the code alone does not prove the right check caught it. */
  readonly message?: RegExp;
}

const DEEP = 100_000;
const PROTO = [0x80, 2];
const STOP = 0x2e;
const MARK = 0x28;
const EMPTY_LIST = 0x5d;
const EMPTY_TUPLE = 0x29;
const EMPTY_DICT = 0x7d;

/** `count` copies of `bytes`, flattened. */
function repeat(bytes: readonly number[], count: number): Uint8Array {
  const out = new Uint8Array(bytes.length * count);
  for (let i = 0; i < count; i++) out.set(bytes, i * bytes.length);
  return out;
}

const concat = (...parts: (readonly number[] | Uint8Array)[]) => Buffer.concat(parts.map((p) => Uint8Array.from(p)));
const u32 = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
const str = (text: string) => [0x8c, text.length, ...Buffer.from(text)]; // SHORT_BINUNICODE
const global = (module: string, name: string) => [0x63, ...Buffer.from(`${module}\n${name}\n`)];

/** MARK × n, then `inner`, then `close` × n: containers nested n deep. */
const nestedWithMarks = (inner: number, close: number, n = DEEP) => concat(repeat([MARK], n), [inner], repeat([close], n));

/** A list chained n deep by appending each new list into the previous one *after* it was inserted. */
function chainedLists(n = DEEP): Uint8Array {
  const step = (k: number) => [0x6a, ...u32(k), EMPTY_LIST, 0x72, ...u32(k + 1), 0x61, 0x30]; // LONG_BINGET k, [], LONG_BINPUT k+1, APPEND, POP
  const width = step(0).length;
  const steps = new Uint8Array(n * width);
  for (let k = 0; k < n; k++) steps.set(step(k), k * width);
  return concat(PROTO, [EMPTY_LIST, 0x72, ...u32(0)], steps, [STOP]);
}

/** A zip checkpoint whose data.pkl is `pickle` (and which holds no storages). */
const zipWithPickle = (pickle: Uint8Array) => (path: string) => writeStoredZip(path, new Map([['archive/data.pkl', pickle]]));

const oneTensor = (): Map<string, WritableTensor> =>
  new Map([['w', { dtype: 'float32', shape: [4, 4], data: Float32Array.from({ length: 16 }, (_, i) => i) } as WritableTensor]]);

/** The pickle of a valid one-tensor zip checkpoint, with storage 0 replaced by `storage`. */
function zipWithStorage(storage: Uint8Array, declaredSize: number) {
  return (path: string) => {
    writeTorchZipCheckpoint(path, oneTensor());
    const pickle = readZipEntry(path, 'archive/data.pkl');
    writeStoredZip(path, new Map([['archive/data.pkl', pickle], ['archive/data/0', storage]]), new Map([['archive/data/0', { deflate: true, declaredSize }]]));
  };
}

/** Reads a STORED entry of a zip this module wrote, by scanning for its local header. */
function readZipEntry(path: string, name: string): Uint8Array {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(Buffer.concat([Buffer.from(name), Buffer.from([0x46, 0x42])]));
  const headerEnd = at + name.length + 4 + bytes.readUInt16LE(at + name.length + 2);
  const size = bytes.readUInt32LE(bytes.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]), headerEnd) + 8);
  return bytes.subarray(headerEnd, headerEnd + size);
}

/** Writes a valid one-tensor zip checkpoint, then overwrites `field` of the first central directory record. */
function patchedCentralRecord(offsetInRecord: number, value: number, width: 2 | 4) {
  return (path: string) => {
    writeTorchZipCheckpoint(path, oneTensor());
    const bytes = readFileSync(path);
    const record = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    if (width === 2) bytes.writeUInt16LE(value, record + offsetInRecord);
    else bytes.writeUInt32LE(value, record + offsetInRecord);
    writeFileSync(path, bytes);
  };
}

/** A safetensors file whose header is `header` verbatim. */
const safetensorsWithHeader = (header: string) => (path: string) => {
  const json = Buffer.from(header);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([length, json, Buffer.alloc(64)]));
};

const deepJson = (n = DEEP) => `${'['.repeat(n)}${']'.repeat(n)}`;

/** A legacy checkpoint with `main` as its state-dict pickle. */
function legacyWithMain(main: Uint8Array) {
  return (path: string) => {
    writeTorchLegacyCheckpoint(path, oneTensor());
    const bytes = readFileSync(path);
    // The state dict pickle follows magic, protocol and sys_info: find its start after the third STOP.
    let start = 0;
    for (let i = 0; i < 3; i++) start = bytes.indexOf(STOP, start) + 1;
    writeFileSync(path, Buffer.concat([bytes.subarray(0, start), main]));
  };
}

export function hostileCheckpoints(): HostileCheckpoint[] {
  const corrupt = 'E_CORRUPT_FILE' as const;
  const deepTuple = nestedWithMarks(EMPTY_TUPLE, 0x74);
  return [
    // The classic payload: os.system('touch pwned') on load. Refused at the GLOBAL, never called.
    {
      name: 'os-system.pth',
      code: 'E_UNSAFE_PICKLE',
      message: /refusing to load 'os\.system'/,
      write: zipWithPickle(concat(PROTO, global('os', 'system'), str('touch pwned'), [0x85, 0x52, STOP])),
    },
    {
      name: 'builtins-eval-via-stack-global.pth',
      code: 'E_UNSAFE_PICKLE',
      message: /refusing to load 'builtins\.eval'/,
      write: zipWithPickle(concat(PROTO, str('builtins'), str('eval'), [0x93], str('1'), [0x85, 0x52, STOP])),
    },
    { name: 'deep-lists.pth', code: corrupt, write: zipWithPickle(concat(PROTO, nestedWithMarks(EMPTY_LIST, 0x6c), [STOP])) },
    { name: 'deep-tuples.pth', code: corrupt, write: zipWithPickle(concat(PROTO, deepTuple, [STOP])) },
    { name: 'tuple1-chain.pth', code: corrupt, write: zipWithPickle(concat(PROTO, [EMPTY_TUPLE], repeat([0x85], DEEP), [STOP])) },
    { name: 'lists-chained-after-insertion.pth', code: 'E_UNSUPPORTED_FORMAT', write: zipWithPickle(chainedLists()) },
    { name: 'list-containing-itself.pth', code: 'E_UNSUPPORTED_FORMAT', write: zipWithPickle(concat(PROTO, [EMPTY_LIST, 0x71, 0, 0x68, 0, 0x61, STOP])) },
    {
      name: 'appends-200k.pth',
      code: 'E_UNSUPPORTED_FORMAT',
      write: zipWithPickle(concat(PROTO, [EMPTY_LIST, MARK], repeat([0x4b, 0], 200_000), [0x65, STOP])),
    },
    { name: 'long4-1mib.pth', code: corrupt, write: zipWithPickle(concat(PROTO, [0x8b, ...u32(1 << 20)], new Uint8Array(1 << 20), [STOP])) },
    { name: 'long4-256kib.pth', code: corrupt, write: zipWithPickle(concat(PROTO, [0x8b, ...u32(1 << 18)], new Uint8Array(1 << 18), [STOP])) },
    {
      name: 'deep-persistent-id.pth',
      code: corrupt,
      write: zipWithPickle(concat(PROTO, [EMPTY_DICT], str('w'), deepTuple, [0x51, 0x73, STOP])),
    },
    {
      name: 'deep-rebuild-args.pth',
      code: corrupt,
      write: zipWithPickle(concat(PROTO, [EMPTY_DICT], str('w'), global('torch._utils', '_rebuild_tensor_v2'), deepTuple, [0x52, 0x73, STOP])),
    },
    { name: 'deep-legacy.pth', code: corrupt, write: legacyWithMain(concat(PROTO, nestedWithMarks(EMPTY_LIST, 0x6c), [STOP])) },
    { name: 'deep-shape.safetensors', code: corrupt, write: safetensorsWithHeader(`{"w":{"dtype":"F32","shape":${deepJson()},"data_offsets":[0,4]}}`) },
    { name: 'deep-dtype.safetensors', code: corrupt, write: safetensorsWithHeader(`{"w":{"dtype":${deepJson()},"shape":[1],"data_offsets":[0,4]}}`) },
    { name: 'deep-offsets.safetensors', code: corrupt, write: safetensorsWithHeader(`{"w":{"dtype":"F32","shape":[1],"data_offsets":${deepJson()}}}`) },
    { name: 'central-name-past-directory.pth', code: corrupt, write: patchedCentralRecord(28, 0xffff, 2) },
    { name: 'central-extra-past-directory.pth', code: corrupt, write: patchedCentralRecord(30, 0xfff0, 2) },
    { name: 'central-offset-past-file.pth', code: corrupt, write: patchedCentralRecord(42, 0xfffffff0, 4) },
    { name: 'forged-storage-size.pth', code: corrupt, write: zipWithStorage(new Uint8Array(64), 0xfffffffc) },
    // Inflates to 64 MiB but declares 64 bytes: must stop at the declared size.
    { name: 'storage-bomb.pth', code: corrupt, message: /more than the 64 bytes it declares/, write: zipWithStorage(new Uint8Array(64 << 20), 64) },
    {
      name: 'pickle-bomb.pth',
      code: corrupt,
      message: /more than the 16 bytes it declares/,
      write: (path) =>
        writeStoredZip(path, new Map([['archive/data.pkl', new Uint8Array(64 << 20)]]), new Map([['archive/data.pkl', { deflate: true, declaredSize: 16 }]])),
    },
    {
      name: 'truncated.safetensors',
      code: corrupt,
      write: (path) => {
        writeSafetensors(path, oneTensor());
        writeFileSync(path, readFileSync(path).subarray(0, -8));
      },
    },
  ];
}

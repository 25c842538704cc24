import type { Checkpoint, CheckpointFormat, TensorRecord } from './checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { DTYPE_BYTES } from './dtype-conversion.js';
import { PickleTruncatedError } from './pickle-machine.js';
import type { RandomAccessFile } from './random-access-file.js';
import { stridedTensorRecord, type StorageReader } from './strided-tensor.js';
import { findStateDict, type FoundStateDict } from './find-state-dict.js';
import { loadTorchPickle, type StorageRef } from './torch-pickle.js';
import { ZipArchive, type ZipEntry } from './zip-archive.js';

/** The first pickle of a pre-1.6 `torch.save` file holds this number. */
export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
const FIRST_CHUNK = 1 << 20;

/** A PyTorch >= 1.6 checkpoint: a ZIP holding `<prefix>/data.pkl` and one `<prefix>/data/<key>` entry per storage. */
export function openTorchZip(file: RandomAccessFile): Checkpoint {
  const zip = ZipArchive.open(file);
  const pickleEntry = findDataPickle(zip, file.path);
  const prefix = pickleEntry.name.slice(0, -'data.pkl'.length);
  rejectTorchScriptAndBigEndian(zip, prefix, file.path);
  const source = `'${file.path}' (${pickleEntry.name})`;
  const { value } = loadTorchPickle(zip.readEntry(pickleEntry), source, () => {});
  const found = findStateDict(value, source);
  const storageEntry = (key: string): ZipEntry => {
    const entry = zip.entries.get(`${prefix}data/${key}`);
    if (entry) return entry;
    throw new ConverterError(
      'E_CORRUPT_FILE',
      `${source} uses storage '${key}', but the archive lacks ${prefix}data/${key}`,
    );
  };
  const read: StorageReader = (key, offset, length) => zip.readRange(storageEntry(key), offset, length);
  const close = () => {
    zip.close();
    file.close();
  };
  return checkpoint('torch-zip', found, `'${file.path}'`, (ref) => storageEntry(ref.key).size, read, close);
}

function findDataPickle(zip: ZipArchive, path: string): ZipEntry {
  const names = [...zip.entries.keys()];
  const name = names.find((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
  const entry = name === undefined ? undefined : zip.entries.get(name);
  if (!entry) {
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `'${path}' is a ZIP archive but not a PyTorch checkpoint: it has no data.pkl (entries: ${names.slice(0, 5).join(', ') || 'none'})`,
    );
  }
  return entry;
}

function rejectTorchScriptAndBigEndian(zip: ZipArchive, prefix: string, path: string): void {
  if (zip.entries.has(`${prefix}constants.pkl`)) {
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `'${path}' is a TorchScript archive (torch.jit.save); save the weights with torch.save(model.state_dict(), path) instead`,
    );
  }
  const byteorder = zip.entries.get(`${prefix}byteorder`);
  if (byteorder && new TextDecoder().decode(zip.readEntry(byteorder)).trim() === 'big') {
    throw bigEndian(path);
  }
}

/**
 * A pre-1.6 checkpoint (`_use_new_zipfile_serialization=False`): pickles for the magic number,
 * protocol version, sys_info, the object and its storage keys, then each storage as an int64
 * element count followed by its raw bytes.
 */
export function openTorchLegacy(file: RandomAccessFile): Checkpoint {
  const { found, keys, dataStart, storages } = readLegacyPickles(file);
  const layout = legacyStorageLayout(file, keys, storages, dataStart);
  const read: StorageReader = (key, offset, length) => file.read(layout.get(key)!.start + offset, length);
  return checkpoint('torch-legacy', found, `'${file.path}'`, (ref) => layout.get(ref.key)?.bytes ?? 0, read, () => file.close());
}

interface LegacyPickles {
  found: FoundStateDict;
  keys: unknown;
  dataStart: number;
  storages: Map<string, StorageRef>;
}

/** The pickles are read from a growing prefix of the file, as their total length is not recorded. */
function readLegacyPickles(file: RandomAccessFile): LegacyPickles {
  for (let chunk = Math.min(FIRST_CHUNK, file.size); ; chunk = Math.min(chunk * 4, file.size)) {
    try {
      return parseLegacyPickles(file, file.read(0, chunk));
    } catch (err) {
      if (!(err instanceof PickleTruncatedError) || chunk === file.size) throw err;
    }
  }
}

function parseLegacyPickles(file: RandomAccessFile, bytes: Uint8Array): LegacyPickles {
  const source = `'${file.path}'`;
  const storages = new Map<string, StorageRef>();
  const next = (start: number) => loadTorchPickle(bytes, source, (ref) => storages.set(ref.key, ref), start);
  const magic = next(0);
  if (magic.value !== LEGACY_MAGIC) {
    throw new ConverterError('E_CORRUPT_FILE', `${source} lacks the PyTorch magic number`);
  }
  const protocol = next(magic.end);
  if (protocol.value !== LEGACY_PROTOCOL) {
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `${source} uses legacy protocol ${String(protocol.value)}, expected ${LEGACY_PROTOCOL}`,
    );
  }
  const sysInfo = next(protocol.end);
  if (sysInfo.value instanceof Map && sysInfo.value.get('little_endian') === false) throw bigEndian(file.path);
  const main = next(sysInfo.end);
  const keys = next(main.end);
  return { found: findStateDict(main.value, source), keys: keys.value, dataStart: keys.end, storages };
}

interface StorageSpan {
  start: number;
  bytes: number;
}

/** Walks the data section once, reading only the 8-byte counts, to find each storage's bytes. */
function legacyStorageLayout(
  file: RandomAccessFile,
  keys: unknown,
  storages: Map<string, StorageRef>,
  dataStart: number,
): Map<string, StorageSpan> {
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new ConverterError('E_CORRUPT_FILE', `'${file.path}': the storage key list is missing or damaged`);
  }
  const layout = new Map<string, StorageSpan>();
  let pos = dataStart;
  for (const [i, key] of (keys as string[]).entries()) {
    const ref = storages.get(key);
    if (!ref) throw new ConverterError('E_CORRUPT_FILE', `'${file.path}': storage '${key}' is listed but never used`);
    if (pos + 8 > file.size) throw truncatedLegacy(file, i, keys.length);
    const count = new DataView(file.read(pos, 8).buffer).getBigInt64(0, true);
    const bytes = Number(count) * DTYPE_BYTES[ref.dtype];
    if (count < 0n || pos + 8 + bytes > file.size) throw truncatedLegacy(file, i, keys.length);
    layout.set(key, { start: pos + 8, bytes });
    pos += 8 + bytes;
  }
  return layout;
}

function checkpoint(
  format: CheckpointFormat,
  { specs, info }: FoundStateDict,
  source: string,
  storedBytes: (ref: StorageRef) => number,
  read: StorageReader,
  close: () => void,
): Checkpoint {
  const tensors = new Map<string, TensorRecord>();
  for (const [name, spec] of specs) {
    tensors.set(name, stridedTensorRecord(name, spec, storedBytes(spec.storage), read, source));
  }
  return { format, tensors, info, close };
}

function truncatedLegacy(file: RandomAccessFile, index: number, total: number): ConverterError {
  return new ConverterError(
    'E_CORRUPT_FILE',
    `'${file.path}' is truncated: storage ${index + 1} of ${total} runs past the end of the file (${file.size} bytes)`,
  );
}

function bigEndian(path: string): ConverterError {
  return new ConverterError(
    'E_UNSUPPORTED_FORMAT',
    `'${path}' was saved on a big-endian machine; re-save it on a little-endian one (x86, ARM)`,
  );
}

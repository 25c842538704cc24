import { inflateRawSync } from 'node:zlib';
import { ConverterError } from '../errors.js';
import type { RandomAccessFile } from './random-access-file.js';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;
/** Deflate cannot expand data more than ~1032:1, so a larger declared size is a lie (a bomb). */
const MAX_DEFLATE_RATIO = 1032;
/**
 * No entry of a state-dict checkpoint inflates past this: Inception V3's weights as one float64
 * storage are 191 MB. Checked before inflating, so memory stays bounded whatever the file says.
 */
const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  /** Uncompressed size. */
  readonly size: number;
  readonly localHeaderOffset: number;
}

/**
 * Read-only ZIP archive over a random-access file. Only the central directory is read up front;
 * STORED entries (all PyTorch writes) are then read by offset without loading the archive.
 */
export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  private readonly dataOffsets = new Map<string, number>();
  /**
   * Deflated entries already inflated: flat-parameter checkpoints view one storage from hundreds
   * of tensors, and inflating it per tensor is quadratic. Dropped by `close()`.
   */
  private readonly inflated = new Map<string, Uint8Array>();

  private constructor(
    private readonly file: RandomAccessFile,
    entries: Map<string, ZipEntry>,
  ) {
    this.entries = entries;
  }

  static open(file: RandomAccessFile): ZipArchive {
    const { offset, size, count } = findCentralDirectory(file);
    return new ZipArchive(file, parseCentralDirectory(file, file.read(offset, size), count));
  }

  /**
   * The whole entry, inflated if DEFLATED. Inflation stops at the size the entry declares, and a
   * declared size deflate could not reach from the compressed bytes is refused before inflating,
   * so a zip bomb costs at most its declared size in memory.
   */
  readEntry(entry: ZipEntry): Uint8Array {
    if (entry.method === DEFLATED) checkInflatedSize(this.file, entry);
    const raw = this.file.read(this.dataOffset(entry), entry.compressedSize);
    if (entry.method === STORED) return raw;
    const data = inflateOrThrow(raw, entry, this.file.path);
    if (data.length !== entry.size) {
      throw corrupt(this.file, `entry '${entry.name}' inflates to ${data.length} bytes, expected ${entry.size}`);
    }
    return data;
  }

  /** `length` bytes from `offset` within the entry, into a new buffer the caller owns. */
  readRange(entry: ZipEntry, offset: number, length: number): Uint8Array {
    if (!(offset >= 0 && length >= 0 && offset + length <= entry.size)) {
      throw corrupt(this.file, `entry '${entry.name}' has ${entry.size} bytes, asked for ${length} at ${offset}`);
    }
    if (entry.method !== STORED) return this.inflatedEntry(entry).slice(offset, offset + length);
    return this.file.read(this.dataOffset(entry) + offset, length);
  }

  /** Forgets inflated entries; the file itself is closed by its owner. */
  close(): void {
    this.inflated.clear();
  }

  private inflatedEntry(entry: ZipEntry): Uint8Array {
    let data = this.inflated.get(entry.name);
    if (!data) {
      data = this.readEntry(entry);
      this.inflated.set(entry.name, data);
    }
    return data;
  }

  /** Where the entry's bytes start: after its local header, whose extra field may differ from the central one. */
  private dataOffset(entry: ZipEntry): number {
    const cached = this.dataOffsets.get(entry.name);
    if (cached !== undefined) return cached;
    const header = view(this.file.read(entry.localHeaderOffset, 30));
    if (header.getUint32(0, true) !== LOCAL_SIGNATURE) {
      throw corrupt(this.file, `no local header for entry '${entry.name}' at offset ${entry.localHeaderOffset}`);
    }
    const start = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
    if (start + entry.compressedSize > this.file.size) {
      throw corrupt(
        this.file,
        `entry '${entry.name}' ends at ${start + entry.compressedSize}, past the end of the file`,
      );
    }
    this.dataOffsets.set(entry.name, start);
    return start;
  }
}

interface DirectoryLocation {
  offset: number;
  size: number;
  count: number;
}

/** Finds the end-of-central-directory record (and its zip64 twin, which PyTorch always writes). */
function findCentralDirectory(file: RandomAccessFile): DirectoryLocation {
  const tailLength = Math.min(file.size, EOCD_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE);
  const tailStart = file.size - tailLength;
  const tail = view(file.read(tailStart, tailLength));
  const eocd = lastEocdIndex(tail);
  if (eocd < 0) {
    throw corrupt(file, 'no end-of-central-directory record: the ZIP archive is truncated or damaged');
  }
  let location: DirectoryLocation = {
    count: tail.getUint16(eocd + 10, true),
    size: tail.getUint32(eocd + 12, true),
    offset: tail.getUint32(eocd + 16, true),
  };
  const locator = eocd - ZIP64_LOCATOR_SIZE;
  if (locator >= 0 && tail.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
    location = readZip64Eocd(file, readU64(tail, locator + 8, file));
  }
  if (location.offset + location.size > tailStart + eocd) {
    throw corrupt(file, `central directory at ${location.offset} (+${location.size} bytes) overlaps its end record`);
  }
  return location;
}

function lastEocdIndex(tail: DataView): number {
  for (let i = tail.byteLength - EOCD_SIZE; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.getUint16(i + 20, true) <= tail.byteLength) {
      return i;
    }
  }
  return -1;
}

function readZip64Eocd(file: RandomAccessFile, position: number): DirectoryLocation {
  if (position + 56 > file.size) throw corrupt(file, `zip64 end record offset ${position} is past the end`);
  const record = view(file.read(position, 56));
  if (record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) {
    throw corrupt(file, `no zip64 end-of-central-directory record at offset ${position}`);
  }
  return {
    count: readU64(record, 32, file),
    size: readU64(record, 40, file),
    offset: readU64(record, 48, file),
  };
}

function parseCentralDirectory(file: RandomAccessFile, bytes: Uint8Array, count: number): Map<string, ZipEntry> {
  const dir = view(bytes);
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > bytes.length || dir.getUint32(pos, true) !== CENTRAL_SIGNATURE) {
      throw corrupt(file, `central directory entry ${i} of ${count} is missing or damaged`);
    }
    const nameLength = dir.getUint16(pos + 28, true);
    const extraLength = dir.getUint16(pos + 30, true);
    const commentLength = dir.getUint16(pos + 32, true);
    if (pos + 46 + nameLength + extraLength + commentLength > bytes.length) {
      throw corrupt(file, `central directory entry ${i} (at directory offset ${pos}) runs past the directory's end`);
    }
    const name = decoder.decode(bytes.subarray(pos + 46, pos + 46 + nameLength));
    const extra = new DataView(bytes.buffer, bytes.byteOffset + pos + 46 + nameLength, extraLength);
    entries.set(name, centralEntry(file, dir, pos, name, extra));
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function centralEntry(file: RandomAccessFile, dir: DataView, pos: number, name: string, extra: DataView): ZipEntry {
  if (dir.getUint16(pos + 8, true) & 1) {
    throw new ConverterError('E_UNSUPPORTED_FORMAT', `'${file.path}': entry '${name}' is encrypted`);
  }
  const method = dir.getUint16(pos + 10, true);
  if (method !== STORED && method !== DEFLATED) {
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `'${file.path}': entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported`,
    );
  }
  // zip64: each 32-bit field that is saturated is given, in this order, by the 0x0001 extra field.
  const zip64 = zip64Fields(extra, file);
  const wide = (value: number): number => (value === 0xffffffff ? (zip64.shift() ?? missingZip64(file, name)) : value);
  const size = wide(dir.getUint32(pos + 24, true));
  const compressedSize = wide(dir.getUint32(pos + 20, true));
  const localHeaderOffset = wide(dir.getUint32(pos + 42, true));
  return { name, method, compressedSize, size, localHeaderOffset };
}

function zip64Fields(extra: DataView, file: RandomAccessFile): number[] {
  for (let pos = 0; pos + 4 <= extra.byteLength;) {
    const id = extra.getUint16(pos, true);
    const length = extra.getUint16(pos + 2, true);
    if (id === 0x0001) {
      const fields: number[] = [];
      for (let f = pos + 4; f + 8 <= pos + 4 + length && f + 8 <= extra.byteLength; f += 8) {
        fields.push(readU64(extra, f, file));
      }
      return fields;
    }
    pos += 4 + length;
  }
  return [];
}

function missingZip64(file: RandomAccessFile, name: string): never {
  throw corrupt(file, `entry '${name}' needs a zip64 extra field but has none`);
}

function checkInflatedSize(file: RandomAccessFile, entry: ZipEntry): void {
  if (entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    throw corrupt(
      file,
      `entry '${entry.name}' claims to inflate ${entry.compressedSize} bytes to ${entry.size}, ` +
        `beyond deflate's ${MAX_DEFLATE_RATIO}:1 limit`,
    );
  }
  if (entry.size > MAX_INFLATED_BYTES) {
    throw corrupt(
      file,
      `entry '${entry.name}' inflates to ${entry.size} bytes, more than any Inception V3 checkpoint holds ` +
        `(${MAX_INFLATED_BYTES}); re-save it uncompressed with torch.save`,
    );
  }
}

function inflateOrThrow(raw: Uint8Array, entry: ZipEntry, path: string): Uint8Array {
  try {
    // One byte past the declared size, so an entry that inflates to more is caught, not truncated.
    return inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
  } catch (err) {
    const more = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    const why = more ? `inflates to more than the ${entry.size} bytes it declares (a zip bomb?)` : `does not inflate: ${String(err)}`;
    throw new ConverterError('E_CORRUPT_FILE', `'${path}': entry '${entry.name}' ${why}`, { cause: err });
  }
}

function readU64(data: DataView, offset: number, file: RandomAccessFile): number {
  const value = data.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw corrupt(file, `64-bit field ${value} at ${offset} is out of range`);
  }
  return Number(value);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function corrupt(file: RandomAccessFile, detail: string): ConverterError {
  return new ConverterError('E_CORRUPT_FILE', `'${file.path}' is not a valid ZIP archive: ${detail}`);
}

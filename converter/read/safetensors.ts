import type { Checkpoint, SourceDType, TensorRecord } from './checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { DTYPE_BYTES, rawToFloat32 } from './dtype-conversion.js';
import type { RandomAccessFile } from './random-access-file.js';

const SAFETENSORS_DTYPES: Readonly<Record<string, SourceDType>> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};

/** Headers beyond this are not weights metadata but a damaged length field (Inception V3's is 60 KB). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** A header is an object of tensor objects holding flat lists: 3 levels. Deeper is hostile. */
const MAX_HEADER_DEPTH = 8;

/** A safetensors file: u64 little-endian header length, a JSON header, then the raw tensor bytes. */
export function openSafetensors(file: RandomAccessFile): Checkpoint {
  const headerLength = readHeaderLength(file);
  const header = parseHeader(file, file.read(8, headerLength));
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, TensorRecord>();
  for (const [name, info] of Object.entries(header)) {
    if (name !== '__metadata__') tensors.set(name, safetensorsRecord(file, name, info, dataStart));
  }
  return { format: 'safetensors', tensors, close: () => file.close() };
}

function readHeaderLength(file: RandomAccessFile): number {
  if (file.size < 8) throw corrupt(file, `the file has ${file.size} bytes, fewer than the 8-byte header length`);
  const length = new DataView(file.read(0, 8).buffer).getBigUint64(0, true);
  if (length > BigInt(Math.min(file.size - 8, MAX_HEADER_BYTES))) {
    throw corrupt(file, `the header length is ${length} bytes, but only ${file.size - 8} bytes follow it`);
  }
  return Number(length);
}

function parseHeader(file: RandomAccessFile, bytes: Uint8Array): Record<string, unknown> {
  checkNesting(file, bytes);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw corrupt(file, `the header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw corrupt(file, 'the header is not a JSON object');
  }
  return header as Record<string, unknown>;
}

/** Refuses deep nesting before JSON.parse, so no later walk over the header can exhaust the stack. */
function checkNesting(file: RandomAccessFile, bytes: Uint8Array): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > MAX_HEADER_DEPTH) {
        throw corrupt(file, `the header nests more than ${MAX_HEADER_DEPTH} levels deep at byte ${8 + i}`);
      }
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
}

/** A JSON value for a message, cut short: a hostile header can put megabytes in one field. */
function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function safetensorsRecord(file: RandomAccessFile, name: string, info: unknown, dataStart: number): TensorRecord {
  const { dtype: code, shape, data_offsets: offsets } = (info ?? {}) as Record<string, unknown>;
  const dtype =
    typeof code === 'string' && Object.hasOwn(SAFETENSORS_DTYPES, code) ? SAFETENSORS_DTYPES[code] : undefined;
  if (!dtype) {
    const known = Object.keys(SAFETENSORS_DTYPES).join(', ');
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `'${file.path}': tensor '${name}' has dtype ${typeof code === 'string' ? code.slice(0, 80) : brief(code)}; supported: ${known}`,
    );
  }
  if (!isCountList(shape)) {
    throw corrupt(file, `tensor '${name}' has shape ${brief(shape)}, expected a list of sizes`);
  }
  if (!isCountList(offsets) || offsets.length !== 2) {
    throw corrupt(file, `tensor '${name}' has data_offsets ${brief(offsets)}, expected [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  if (end - begin !== expected) {
    throw corrupt(
      file,
      `tensor '${name}' ([${shape.slice(0, 8).join(', ')}] ${code}) needs ${expected} bytes, its offsets span ${end - begin}`,
    );
  }
  if (dataStart + end > file.size) {
    throw corrupt(
      file,
      `tensor '${name}' ends at byte ${dataStart + end}, past the end of the file (${file.size} bytes)`,
    );
  }
  return { name, dtype, shape, toFloat32: () => rawToFloat32(file.read(dataStart + begin, expected), dtype) };
}

function isCountList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => Number.isSafeInteger(v) && v >= 0);
}

function corrupt(file: RandomAccessFile, detail: string): ConverterError {
  return new ConverterError('E_CORRUPT_FILE', `'${file.path}' is not a valid safetensors file: ${detail}`);
}

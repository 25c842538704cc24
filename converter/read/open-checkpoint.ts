import { isInceptionError } from '../../shared/errors.js';
import type { Checkpoint, TensorRecord } from './checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { RandomAccessFile } from './random-access-file.js';
import { openSafetensors } from './safetensors.js';
import { LEGACY_MAGIC, openTorchLegacy, openTorchZip } from './torch-checkpoint.js';

const SUPPORTED =
  'supported formats: PyTorch checkpoints (.pth / .pt / pytorch_model.bin, zip or pre-1.6 legacy serialization) and safetensors';

/** Enough bytes to see every signature, including the tar magic at offset 257. */
const SNIFF_BYTES = 512;

/**
 * Opens a checkpoint, recognising its format from its first bytes (never its extension).
 * Tensors are read lazily from the open file; call `close()` when done. Every failure, opening
 * or reading a tensor, is a ConverterError: a damaged file never surfaces as a bare RangeError.
 */
export function openCheckpoint(path: string): Checkpoint {
  const file = RandomAccessFile.open(path);
  try {
    return guardTensors(file, guarded(file, 'reading the header', () => openFormat(file)));
  } catch (err) {
    file.close();
    throw err;
  }
}

/**
 * Runs `body`, turning any exception the readers did not anticipate (a RangeError from a forged
 * length, say) into E_CORRUPT_FILE naming the file and where it was reading.
 */
function guarded<T>(file: RandomAccessFile, what: string, body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (isInceptionError(err)) throw err;
    throw new ConverterError(
      'E_CORRUPT_FILE',
      `'${file.path}' is damaged: ${what} failed near byte ${file.lastOffset} (${String(err)})`,
      { cause: err },
    );
  }
}

function guardTensors(file: RandomAccessFile, checkpoint: Checkpoint): Checkpoint {
  const tensors = new Map<string, TensorRecord>();
  for (const [name, record] of checkpoint.tensors) {
    tensors.set(name, { ...record, toFloat32: () => guarded(file, `reading tensor '${name}'`, () => record.toFloat32()) });
  }
  return { ...checkpoint, tensors };
}

function openFormat(file: RandomAccessFile): Checkpoint {
  const path = file.path;
  const head = file.read(0, Math.min(SNIFF_BYTES, file.size));
  switch (sniff(head, file.size)) {
    case 'zip':
      return openTorchZip(file);
    case 'legacy':
      return openTorchLegacy(file);
    case 'safetensors':
      return openSafetensors(file);
    case 'tar':
      throw new ConverterError(
        'E_UNSUPPORTED_FORMAT',
        `'${path}' is a tar-format checkpoint from PyTorch < 0.4; load and re-save it with a current PyTorch. ${SUPPORTED}`,
      );
    default:
      throw unsupported(path, head);
  }
}

type Sniffed = 'zip' | 'legacy' | 'safetensors' | 'tar' | 'unknown';

function sniff(head: Uint8Array, fileSize: number): Sniffed {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (ascii(0, 4) === 'PK\x03\x04' || ascii(0, 4) === 'PK\x05\x06') return 'zip';
  if (isLegacyMagic(head)) return 'legacy';
  if (ascii(257, 262) === 'ustar') return 'tar';
  if (head.length > 8 && head[8] === 0x7b && headerLength(head) <= fileSize - 8) return 'safetensors';
  return 'unknown';
}

/** PROTO n, LONG1 with 10 bytes: the magic number little-endian. */
function isLegacyMagic(head: Uint8Array): boolean {
  if (head.length < 14 || head[0] !== 0x80 || head[2] !== 0x8a || head[3] !== 10) return false;
  let value = 0n;
  for (let i = 13; i >= 4; i--) value = (value << 8n) | BigInt(head[i]!);
  return value === LEGACY_MAGIC;
}

function headerLength(head: Uint8Array): number {
  return Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
}

function unsupported(path: string, head: Uint8Array): ConverterError {
  if (head.length === 0) return new ConverterError('E_UNSUPPORTED_FORMAT', `'${path}' is empty. ${SUPPORTED}`);
  const bytes = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return new ConverterError(
    'E_UNSUPPORTED_FORMAT',
    `'${path}' is not a checkpoint this converter reads (it starts with bytes ${bytes}). ${SUPPORTED}`,
  );
}

import type { Checkpoint } from './checkpoint-types.js';
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
 * Tensors are read lazily from the open file; call `close()` when done.
 */
export function openCheckpoint(path: string): Checkpoint {
  const file = RandomAccessFile.open(path);
  try {
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
  } catch (err) {
    file.close();
    throw err;
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

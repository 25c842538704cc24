import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConverterError } from '../errors.js';

/**
 * A read-only file read by offset, so a 95 MB checkpoint is never loaded whole: each tensor is
 * read with one `pread` into the buffer that becomes its values.
 */
export class RandomAccessFile {
  private fd: number | undefined;
  /** Where the latest read started, so an unexpected failure can still say where in the file it was. */
  lastOffset = 0;

  private constructor(
    readonly path: string,
    fd: number,
    readonly size: number,
  ) {
    this.fd = fd;
  }

  /** Opens `path`; a missing file is E_FILE_NOT_FOUND, a directory E_UNSUPPORTED_FORMAT. */
  static open(path: string): RandomAccessFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new ConverterError('E_FILE_NOT_FOUND', `checkpoint '${path}' does not exist`, { cause: err });
      }
      throw new ConverterError('E_FILE_NOT_FOUND', `cannot open checkpoint '${path}': ${String(err)}`, { cause: err });
    }
    const stats = fstatSync(fd);
    if (stats.isDirectory()) {
      closeSync(fd);
      throw new ConverterError(
        'E_UNSUPPORTED_FORMAT',
        `'${path}' is a directory (a TensorFlow SavedModel?); pass a single checkpoint file instead`,
      );
    }
    return new RandomAccessFile(path, fd, stats.size);
  }

  /**
   * Reads `length` bytes at `position` into a new buffer. Offsets and lengths come from the file
   * itself, so they are checked against its size before anything is allocated: E_CORRUPT_FILE.
   */
  read(position: number, length: number): Uint8Array {
    this.checkSpan(position, length);
    const out = new Uint8Array(length);
    this.readInto(out, position);
    return out;
  }

  /** Fills `target` from `position`; a short read is E_CORRUPT_FILE. */
  readInto(target: Uint8Array, position: number): void {
    this.checkSpan(position, target.length);
    this.lastOffset = position;
    if (this.fd === undefined) {
      throw new ConverterError('E_BAD_ARGUMENT', `checkpoint '${this.path}' was closed; read tensors before close()`);
    }
    let done = 0;
    while (done < target.length) {
      const n = readSync(this.fd, target, done, target.length - done, position + done);
      if (n === 0) {
        throw new ConverterError(
          'E_CORRUPT_FILE',
          `'${this.path}' is truncated: needed ${target.length} bytes at offset ${position}, ` +
            `but the file ends at ${position + done}`,
        );
      }
      done += n;
    }
  }

  private checkSpan(position: number, length: number): void {
    const valid = Number.isSafeInteger(position) && Number.isSafeInteger(length) && position >= 0 && length >= 0;
    if (!valid || position + length > this.size) {
      throw new ConverterError(
        'E_CORRUPT_FILE',
        `'${this.path}' is damaged: it points at ${length} bytes at offset ${position}, ` +
          `outside the file (${this.size} bytes)`,
      );
    }
  }

  /** Idempotent. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

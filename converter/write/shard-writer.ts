import { createHash, type Hash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShardRecord } from '../../shared/model-metadata.js';

/**
 * Streams weight bytes into fixed-size shard files (`group1-shardKofN.bin`, TF.js's naming),
 * hashing each shard and the whole stream. Only one shard is ever held in memory.
 */
export class ShardWriter {
  readonly shards: ShardRecord[] = [];
  private readonly buffer: Uint8Array;
  private readonly modelHash: Hash = createHash('sha256');
  private filled = 0;
  private written = 0;

  constructor(
    private readonly dir: string,
    shardBytes: number,
    private readonly totalBytes: number,
  ) {
    this.buffer = new Uint8Array(Math.min(shardBytes, Math.max(totalBytes, 1)));
  }

  get shardCount(): number {
    return Math.ceil(this.totalBytes / this.buffer.length);
  }

  get bytesWritten(): number {
    return this.written + this.filled;
  }

  write(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(bytes.length - offset, this.buffer.length - this.filled);
      this.buffer.set(bytes.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.buffer.length) this.flush();
    }
  }

  /** Writes the last partial shard and returns the hash of all bytes. */
  finish(): string {
    if (this.filled > 0) this.flush();
    if (this.written !== this.totalBytes) {
      throw new Error(`internal: wrote ${this.written} weight bytes, planned ${this.totalBytes}`);
    }
    return this.modelHash.digest('hex');
  }

  private flush(): void {
    const data = this.buffer.subarray(0, this.filled);
    const path = `group1-shard${this.shards.length + 1}of${this.shardCount}.bin`;
    writeFileSync(join(this.dir, path), data);
    this.modelHash.update(data);
    this.shards.push({ path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    this.written += data.length;
    this.filled = 0;
  }
}

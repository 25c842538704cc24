/**
 * Reads FlatBuffers with the official `flatbuffers` package's ByteBuffer, an implementation
 * independent of our builder, so the tests check our bytes against FlatBuffers' own reading rules.
 */
import { ByteBuffer } from 'flatbuffers';

/** One table: field i sits at vtable slot 4 + 2i. */
export class TableView {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  private offset(field: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * field);
  }

  has(field: number): boolean {
    return this.offset(field) !== 0;
  }

  int8(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  uint8(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }

  int16(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt16(this.pos + o) : fallback;
  }

  int32(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  uint32(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }

  float32(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readFloat32(this.pos + o) : fallback;
  }

  string(field: number): string | null {
    const o = this.offset(field);
    return o ? (this.bb.__string(this.pos + o) as string) : null;
  }

  table(field: number): TableView | null {
    const o = this.offset(field);
    return o ? new TableView(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }

  tables(field: number): TableView[] {
    const o = this.offset(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from({ length: this.bb.__vector_len(this.pos + o) }, (_, j) => new TableView(this.bb, this.bb.__indirect(start + 4 * j)));
  }

  int32s(field: number): number[] {
    const o = this.offset(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from({ length: this.bb.__vector_len(this.pos + o) }, (_, j) => this.bb.readInt32(start + 4 * j));
  }

  /** A [ubyte] vector: its bytes and where they start in the buffer (to check alignment). */
  bytes(field: number): { start: number; bytes: Uint8Array } | null {
    const o = this.offset(field);
    if (!o) return null;
    const start = this.bb.__vector(this.pos + o);
    return { start, bytes: this.bb.bytes().subarray(start, start + this.bb.__vector_len(this.pos + o)) };
  }
}

/** The root table of a finished buffer, and its file identifier. */
export function readRoot(bytes: Uint8Array): { root: TableView; identifier: string } {
  const bb = new ByteBuffer(bytes);
  return { root: new TableView(bb, bb.readInt32(0)), identifier: bb.getBufferIdentifier() };
}

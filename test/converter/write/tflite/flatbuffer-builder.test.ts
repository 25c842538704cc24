/** Our FlatBuffer builder, read back by the official flatbuffers package's reader. */
import { describe, expect, it } from 'vitest';
import { fb, serializeFlatBuffer } from '../../../../converter/write/tflite/flatbuffer-builder.js';
import { readRoot } from '../../../helpers/flatbuffer-reader.js';

describe('serializeFlatBuffer', () => {
  it('writes the root offset and the file identifier', () => {
    const { identifier, root } = readRoot(serializeFlatBuffer(fb.table([fb.int32(7)]), 'TFL3'));
    expect(identifier).toBe('TFL3');
    expect(root.int32(0)).toBe(7);
  });

  it('reads back every scalar type, with absent fields taking the reader default', () => {
    const table = fb.table([
      fb.int8(-5),
      fb.scalar('uint8', 250),
      fb.scalar('int16', -3000),
      fb.int32(-123456),
      fb.uint32(4_000_000_000),
      fb.scalar('float32', 1.5),
      fb.bool(true),
      undefined,
      fb.int32(9),
    ]);
    const { root } = readRoot(serializeFlatBuffer(table, 'TEST'));
    expect([root.int8(0), root.uint8(1), root.int16(2), root.int32(3), root.uint32(4), root.float32(5), root.uint8(6)]).toEqual([
      -5, 250, -3000, -123456, 4_000_000_000, 1.5, 1,
    ]);
    expect(root.has(7)).toBe(false);
    expect(root.int32(7, 42)).toBe(42);
    expect(root.int32(8)).toBe(9);
  });

  it('follows offsets to strings, scalar vectors, nested tables and vectors of tables', () => {
    const child = (n: number) => fb.table([fb.int32(n), fb.string(`child ${n}`)]);
    const table = fb.table([fb.string('naïve ✓'), fb.vector('int32', [1, -2, 3]), child(10), fb.tables([child(1), child(2), child(3)]), fb.tables([])]);
    const { root } = readRoot(serializeFlatBuffer(table, 'TEST'));
    expect(root.string(0)).toBe('naïve ✓');
    expect(root.int32s(1)).toEqual([1, -2, 3]);
    expect(root.table(2)?.int32(0)).toBe(10);
    expect(root.tables(3).map((t) => [t.int32(0), t.string(1)])).toEqual([
      [1, 'child 1'],
      [2, 'child 2'],
      [3, 'child 3'],
    ]);
    expect(root.tables(4)).toEqual([]);
  });

  it('aligns byte vectors as asked (TFLite buffers: 16) and keeps their bytes', () => {
    const payloads = [Uint8Array.of(1, 2, 3), new Uint8Array(17).fill(9), new Uint8Array(0)];
    const table = fb.table([fb.tables(payloads.map((bytes) => fb.table([fb.bytes(bytes, 16)]))), fb.string('x')]);
    const { root } = readRoot(serializeFlatBuffer(table, 'TEST'));
    for (const [i, buffer] of root.tables(0).entries()) {
      const read = buffer.bytes(0);
      expect((read?.start ?? 1) % 16).toBe(0);
      expect(Array.from(read?.bytes ?? [])).toEqual(Array.from(payloads[i] as Uint8Array));
    }
    expect(root.string(1)).toBe('x');
  });

  it('grows past its size hint without losing what it wrote', () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    const { root } = readRoot(serializeFlatBuffer(fb.table([fb.bytes(big), fb.int32(5)]), 'TEST', 64));
    expect(root.bytes(0)?.bytes).toEqual(big);
    expect(root.int32(1)).toBe(5);
  });

  it('rejects an identifier that is not 4 characters', () => {
    expect(() => serializeFlatBuffer(fb.table([]), 'TFL')).toThrow(/4 characters/);
  });
});

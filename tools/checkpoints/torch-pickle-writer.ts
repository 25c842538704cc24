/**
 * Writes pickles the way CPython's protocol-2 pickler does for `torch.save(state_dict)`:
 * every string, tuple, global and call result is memoized (BINPUT, LONG_BINPUT past 255),
 * repeated strings and globals are fetched back with BINGET, dict items go in SETITEMS batches.
 */
export class PickleWriter {
  private readonly bytes: number[] = [];
  private readonly memo = new Map<string, number>();
  private memoCount = 0;

  constructor() {
    this.bytes.push(0x80, 2); // PROTO 2
  }

  /** Ends the pickle with STOP and returns its bytes. */
  finish(): Uint8Array {
    this.bytes.push(0x2e);
    return Uint8Array.from(this.bytes);
  }

  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }

  int(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** 31) {
      throw new RangeError(`cannot pickle int ${value}`);
    }
    if (value < 0x100) return this.op(0x4b, value); // BININT1
    if (value < 0x10000) return this.op(0x4d, value & 0xff, value >> 8); // BININT2
    return this.op(0x4a, ...le(value, 4)); // BININT
  }

  /** LONG1: little-endian two's complement, as pickle writes Python ints too big for BININT. */
  long(value: bigint): this {
    const out: number[] = [];
    for (let v = value; out.length === 0 || v !== (out.at(-1)! & 0x80 ? -1n : 0n); v >>= 8n)
      out.push(Number(v & 0xffn));
    return this.op(0x8a, out.length, ...out);
  }

  str(value: string): this {
    return this.memoized(`s:${value}`, () => {
      const utf8 = new TextEncoder().encode(value);
      this.op(0x58, ...le(utf8.length, 4), ...utf8); // BINUNICODE
    });
  }

  global(module: string, name: string): this {
    return this.memoized(`g:${module}.${name}`, () => {
      this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`)); // GLOBAL
    });
  }

  /** A tuple of items written by `items`: EMPTY_TUPLE, TUPLE1-3 or MARK ... TUPLE, then memoized. */
  tuple(count: number, items: () => void): this {
    if (count === 0) return this.op(0x29);
    if (count > 3) this.op(0x28);
    items();
    this.op(count > 3 ? 0x74 : 0x84 + count);
    return this.put();
  }

  intTuple(values: readonly number[]): this {
    return this.tuple(values.length, () => values.forEach((v) => this.int(v)));
  }

  /** REDUCE of a callable and argument tuple already on the stack, memoized like pickle does. */
  reduce(): this {
    return this.op(0x52).put();
  }

  /** `collections.OrderedDict()`. */
  orderedDict(): this {
    return this.global('collections', 'OrderedDict').op(0x29).reduce();
  }

  /** Adds items to the dict on the stack in batches of 1000, as CPython's pickler does. */
  setItems<T>(items: readonly T[], writeItem: (item: T) => void): this {
    for (let i = 0; i < items.length; i += 1000) {
      const batch = items.slice(i, i + 1000);
      if (batch.length > 1) this.op(0x28);
      batch.forEach(writeItem);
      this.op(batch.length > 1 ? 0x75 : 0x73); // SETITEMS / SETITEM
    }
    return this;
  }

  /** Appends strings to the list on the stack in batches of 1000. */
  appendStrings(items: readonly string[]): this {
    for (let i = 0; i < items.length; i += 1000) {
      const batch = items.slice(i, i + 1000);
      if (batch.length > 1) this.op(0x28);
      batch.forEach((s) => this.str(s));
      this.op(batch.length > 1 ? 0x65 : 0x61); // APPENDS / APPEND
    }
    return this;
  }

  /** Memoizes the object just written under the next index. */
  put(): this {
    const index = this.memoCount++;
    return index < 0x100 ? this.op(0x71, index) : this.op(0x72, ...le(index, 4));
  }

  private memoized(key: string, write: () => void): this {
    const index = this.memo.get(key);
    if (index !== undefined) return index < 0x100 ? this.op(0x68, index) : this.op(0x6a, ...le(index, 4));
    write();
    this.memo.set(key, this.memoCount);
    return this.put();
  }
}

function le(value: number, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => Math.floor(value / 2 ** (8 * i)) & 0xff);
}

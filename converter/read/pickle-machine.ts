import { ConverterError } from '../errors.js';

/** What an allowed global does when a pickle calls it (REDUCE, NEWOBJ, INST, OBJ). */
export type PickleCallable = (args: readonly unknown[]) => unknown;

/** A global the pickle named and the caller allowed. `call` is absent for type markers. */
export class PyGlobal {
  constructor(
    readonly qualifiedName: string,
    readonly call: PickleCallable | undefined,
  ) {}
}

export interface UnpickleOptions {
  /**
   * The only globals that resolve, by "module.name". A value of `null` allows the name as a
   * marker (e.g. a storage type) that may be passed around but never called.
   */
  readonly globals: ReadonlyMap<string, PickleCallable | null>;
  /** Why other globals are refused, appended to the E_UNSAFE_PICKLE message. */
  readonly refusal: string;
  /** Resolves BINPERSID ids (PyTorch's storages). */
  readonly persistentLoad: (pid: unknown) => unknown;
  /** Names the pickle in error messages, e.g. "'model.pth' (archive/data.pkl)". */
  readonly source: string;
}

export interface UnpickleResult {
  readonly value: unknown;
  /** Offset just past the STOP opcode, where a following pickle would start. */
  readonly end: number;
}

/** Thrown when the bytes end before STOP, so a caller reading a file in chunks can read more. */
export class PickleTruncatedError extends ConverterError {
  constructor(source: string, offset: number) {
    super('E_CORRUPT_FILE', `${source} is truncated: the pickle ends at byte ${offset} before its STOP opcode`);
  }
}

/**
 * Runs a pickle as data only. Python tuples become frozen arrays, lists arrays, dicts Maps,
 * ints numbers (bigint beyond 2^53), bytes Uint8Arrays; only allowlisted globals resolve and
 * nothing else is ever executed.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions, start = 0): UnpickleResult {
  return new PickleMachine(bytes, options, start).run();
}

const MARK = Symbol('mark');
/** A state dict nests a handful of levels (dict → tensor call → args tuple → shape); deeper is hostile. */
export const MAX_PICKLE_DEPTH = 64;
/** Python ints in a state dict fit 8 bytes; the legacy magic number takes 10. Wider ones are refused. */
export const MAX_PICKLE_INT_BYTES = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class PickleMachine {
  private readonly data: DataView;
  private readonly stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  /** Nesting depth of each container built so far (absent: a leaf or a 1-level container). */
  private readonly depths = new WeakMap<object, number>();
  private opStart = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: UnpickleOptions,
    private pos: number,
  ) {
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): UnpickleResult {
    for (;;) {
      this.opStart = this.pos;
      const op = this.u8();
      if (op === 0x2e) return { value: this.pop(), end: this.pos }; // STOP
      const action = this.actions.get(op);
      if (!action) {
        throw this.corrupt(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${this.opStart}`);
      }
      action();
    }
  }

  /** Opcode → action, grouped as the pickle spec lists them: framing, constants, containers, memo, objects. */
  private readonly actions = new Map<number, () => void>([
    [0x80, () => this.take(1)], // PROTO
    [0x95, () => this.u64()], // FRAME: frames only group bytes we already hold
    [0x28, () => this.mark()], // MARK
    [0x30, () => this.pop()], // POP
    [0x31, () => this.popMark()], // POP_MARK
    [0x32, () => this.push(this.peek())], // DUP
    [0x4e, () => this.push(null)], // NONE
    [0x88, () => this.push(true)], // NEWTRUE
    [0x89, () => this.push(false)], // NEWFALSE
    [0x4a, () => this.push(this.data.getInt32(this.take(4), true))], // BININT
    [0x4b, () => this.push(this.u8())], // BININT1
    [0x4d, () => this.push(this.data.getUint16(this.take(2), true))], // BININT2
    [0x8a, () => this.push(this.long(this.u8()))], // LONG1
    [0x8b, () => this.push(this.long(this.u32()))], // LONG4
    [0x47, () => this.push(this.data.getFloat64(this.take(8), false))], // BINFLOAT is big-endian
    [0x58, () => this.push(this.text(this.u32()))], // BINUNICODE
    [0x8c, () => this.push(this.text(this.u8()))], // SHORT_BINUNICODE
    [0x8d, () => this.push(this.text(this.u64()))], // BINUNICODE8
    [0x54, () => this.push(this.text(this.u32()))], // BINSTRING: torch.load decodes Python 2 str as UTF-8
    [0x55, () => this.push(this.text(this.u8()))], // SHORT_BINSTRING
    [0x42, () => this.push(this.raw(this.u32()))], // BINBYTES
    [0x43, () => this.push(this.raw(this.u8()))], // SHORT_BINBYTES
    [0x8e, () => this.push(this.raw(this.u64()))], // BINBYTES8
    [0x29, () => this.push(Object.freeze([]))], // EMPTY_TUPLE
    [0x5d, () => this.push([])], // EMPTY_LIST
    [0x7d, () => this.push(new Map())], // EMPTY_DICT
    [0x74, () => this.push(this.nested(Object.freeze(this.popMark())))], // TUPLE
    [0x85, () => this.push(this.nested(Object.freeze(this.popN(1))))], // TUPLE1
    [0x86, () => this.push(this.nested(Object.freeze(this.popN(2))))], // TUPLE2
    [0x87, () => this.push(this.nested(Object.freeze(this.popN(3))))], // TUPLE3
    [0x6c, () => this.push(this.nested(this.popMark()))], // LIST
    [0x64, () => this.push(this.setItems(new Map(), this.popMark()))], // DICT
    [0x61, () => this.appendAll(this.popN(1))], // APPEND
    [0x65, () => this.appendAll(this.popMark())], // APPENDS
    [0x73, () => this.setItems(this.dict(this.stack.length - 3), this.popN(2))], // SETITEM
    [0x75, () => this.setItemsFromMark()], // SETITEMS
    [0x71, () => this.memo.set(this.u8(), this.peek())], // BINPUT
    [0x72, () => this.memo.set(this.u32(), this.peek())], // LONG_BINPUT
    [0x94, () => this.memo.set(this.memo.size, this.peek())], // MEMOIZE
    [0x68, () => this.push(this.memoGet(this.u8()))], // BINGET
    [0x6a, () => this.push(this.memoGet(this.u32()))], // LONG_BINGET
    [0x63, () => this.push(this.resolve(this.line(), this.line()))], // GLOBAL
    [0x93, () => this.stackGlobal()], // STACK_GLOBAL
    [0x52, () => this.reduce()], // REDUCE
    [0x81, () => this.reduce()], // NEWOBJ: cls.__new__(cls, *args), under the same allowlist
    [0x69, () => this.inst()], // INST
    [0x6f, () => this.obj()], // OBJ
    [0x62, () => this.pop()], // BUILD: only OrderedDict's _metadata arrives here; tensor values don't need it
    [0x51, () => this.push(this.options.persistentLoad(this.pop()))], // BINPERSID
  ]);

  private resolve(module: string, name: string): PyGlobal {
    const qualifiedName = `${module}.${name}`;
    const handler = this.options.globals.get(qualifiedName);
    if (handler === undefined) {
      throw new ConverterError(
        'E_UNSAFE_PICKLE',
        `refusing to load '${qualifiedName}' from the pickle in ${this.options.source}: ${this.options.refusal}`,
      );
    }
    return new PyGlobal(qualifiedName, handler ?? undefined);
  }

  private stackGlobal(): void {
    const [module, name] = this.popN(2);
    if (typeof module !== 'string' || typeof name !== 'string') throw this.corrupt('STACK_GLOBAL needs two strings');
    this.push(this.resolve(module, name));
  }

  private reduce(): void {
    const [callable, args] = this.popN(2);
    if (!Array.isArray(args)) throw this.corrupt(`call arguments at byte ${this.opStart} are not a tuple`);
    this.push(this.call(callable, args));
  }

  private depth(value: unknown): number {
    return typeof value === 'object' && value !== null ? (this.depths.get(value) ?? 1) : 0;
  }

  /** Records that `child` now sits inside `container`, refusing nesting no state dict has. */
  private contain(container: object, child: unknown): void {
    const depth = this.depth(child) + 1;
    if (depth <= this.depth(container)) return;
    if (depth > MAX_PICKLE_DEPTH) {
      throw this.corrupt(
        `containers nest more than ${MAX_PICKLE_DEPTH} deep at byte ${this.opStart}; a state dict is a few levels deep`,
      );
    }
    this.depths.set(container, depth);
  }

  private nested<T extends readonly unknown[]>(container: T): T {
    for (const item of container) this.contain(container, item);
    return container;
  }

  private inst(): void {
    const target = this.resolve(this.line(), this.line());
    this.push(this.call(target, this.popMark()));
  }

  private obj(): void {
    const [target, ...args] = this.popMark();
    this.push(this.call(target, args));
  }

  private call(target: unknown, args: readonly unknown[]): unknown {
    if (!(target instanceof PyGlobal)) throw this.corrupt(`byte ${this.opStart} calls something that is not a global`);
    if (!target.call) {
      throw new ConverterError(
        'E_UNSAFE_PICKLE',
        `refusing to call '${target.qualifiedName}' from the pickle in ${this.options.source}: ${this.options.refusal}`,
      );
    }
    const result = target.call(args);
    // What a call builds holds its arguments' data, so it is at least as deep.
    if (typeof result === 'object' && result !== null) this.contain(result, args);
    return result;
  }

  /** One push per item: spreading 200k items into push() overflows the call stack. */
  private appendAll(items: readonly unknown[]): void {
    const target = this.list(this.stack.length - 1);
    for (const item of items) {
      this.contain(target, item);
      target.push(item);
    }
  }

  private setItemsFromMark(): void {
    const items = this.popMark();
    this.setItems(this.dict(this.stack.length - 1), items);
  }

  private setItems(target: Map<unknown, unknown>, flat: readonly unknown[]): Map<unknown, unknown> {
    if (flat.length % 2 !== 0) throw this.corrupt(`odd number of dict items at byte ${this.opStart}`);
    for (let i = 0; i < flat.length; i += 2) {
      this.contain(target, flat[i + 1]);
      target.set(flat[i], flat[i + 1]);
    }
    return target;
  }

  private list(index: number): unknown[] {
    const target = this.stack[index];
    if (!Array.isArray(target) || Object.isFrozen(target)) {
      throw this.corrupt(`APPEND at byte ${this.opStart} needs a list`);
    }
    return target;
  }

  private dict(index: number): Map<unknown, unknown> {
    const target = this.stack[index];
    if (!(target instanceof Map)) throw this.corrupt(`SETITEM at byte ${this.opStart} needs a dict`);
    return target;
  }

  private memoGet(index: number): unknown {
    if (!this.memo.has(index)) throw this.corrupt(`memo entry ${index} read at byte ${this.opStart} was never stored`);
    return this.memo.get(index);
  }

  private mark(): void {
    this.marks.push(this.stack.length);
    this.stack.push(MARK);
  }

  private push(value: unknown): void {
    this.stack.push(value);
  }

  private peek(): unknown {
    if (this.stack.length === 0 || this.stack.at(-1) === MARK) throw this.underflow();
    return this.stack.at(-1);
  }

  private pop(): unknown {
    const value = this.peek();
    this.stack.pop();
    return value;
  }

  private popN(count: number): unknown[] {
    const base = this.stack.length - count;
    if (base < (this.marks.at(-1) ?? -1) + 1) throw this.underflow();
    return this.stack.splice(base, count);
  }

  private popMark(): unknown[] {
    const mark = this.marks.pop();
    if (mark === undefined) throw this.corrupt(`opcode at byte ${this.opStart} needs a MARK, but none is open`);
    return this.stack.splice(mark).slice(1);
  }

  private take(length: number): number {
    if (this.pos + length > this.bytes.length) throw new PickleTruncatedError(this.options.source, this.bytes.length);
    const at = this.pos;
    this.pos += length;
    return at;
  }

  private u8(): number {
    return this.data.getUint8(this.take(1));
  }

  private u32(): number {
    return this.data.getUint32(this.take(4), true);
  }

  private u64(): number {
    const value = this.data.getBigUint64(this.take(8), true);
    // Anything this large cannot fit the bytes we hold; let take() report the truncation.
    return value > BigInt(this.bytes.length) ? this.bytes.length + 1 : Number(value);
  }

  /** Little-endian two's-complement integer of `length` bytes. */
  private long(length: number): number | bigint {
    if (length > MAX_PICKLE_INT_BYTES) {
      throw this.corrupt(
        `a ${length}-byte integer at byte ${this.opStart}; a state dict holds none wider than ${MAX_PICKLE_INT_BYTES} bytes`,
      );
    }
    const at = this.take(length);
    let value = 0n;
    for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[at + i]!);
    if (length > 0 && this.bytes[at + length - 1]! & 0x80) value -= 1n << BigInt(8 * length);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  private raw(length: number): Uint8Array {
    const at = this.take(length);
    return this.bytes.slice(at, at + length);
  }

  private text(length: number): string {
    const at = this.take(length);
    try {
      return utf8.decode(this.bytes.subarray(at, at + length));
    } catch {
      throw this.corrupt(`string at byte ${at} is not valid UTF-8`);
    }
  }

  /** A newline-terminated line, as the text GLOBAL and INST opcodes use. */
  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw new PickleTruncatedError(this.options.source, this.bytes.length);
    const value = this.text(end - this.pos);
    this.pos = end + 1;
    return value;
  }

  private underflow(): ConverterError {
    return this.corrupt(`stack underflow at byte ${this.opStart}`);
  }

  private corrupt(detail: string): ConverterError {
    return new ConverterError('E_CORRUPT_FILE', `${this.options.source} holds a damaged pickle: ${detail}`);
  }
}

import type { SourceDType } from './checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { PyGlobal, unpickle, type PickleCallable, type UnpickleResult } from './pickle-machine.js';

/** A storage as a persistent id names it: bytes live elsewhere (a zip entry or the legacy data section). */
export interface StorageRef {
  readonly key: string;
  readonly dtype: SourceDType;
  /** Elements in the stored (root) storage. */
  readonly numel: number;
  /** Legacy storage views start this many elements into their root storage. */
  readonly viewOffset: number;
}

/** What `_rebuild_tensor_v2` describes: a strided view of a storage. */
export interface TensorSpec {
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

const STORAGE_DTYPES: ReadonlyArray<readonly [string, string, SourceDType]> = [
  ['Float', 'float32', 'float32'],
  ['Half', 'float16', 'float16'],
  ['BFloat16', 'bfloat16', 'bfloat16'],
  ['Double', 'float64', 'float64'],
  ['Long', 'int64', 'int64'],
  ['Int', 'int32', 'int32'],
  ['Short', 'int16', 'int16'],
  ['Char', 'int8', 'int8'],
  ['Byte', 'uint8', 'uint8'],
  ['Bool', 'bool', 'bool'],
];

/** Storage type markers (torch.FloatStorage, torch.cuda.FloatStorage from GPU saves, torch.float32) → dtype. */
const STORAGE_TYPES = new Map<string, SourceDType>(
  STORAGE_DTYPES.flatMap(([storage, dtype, source]) => [
    [`torch.${storage}Storage`, source],
    [`torch.cuda.${storage}Storage`, source],
    [`torch.${dtype}`, source],
  ]),
);

const TENSOR_TYPES = new Set(['torch._tensor.Tensor', 'torch.Tensor', 'torch.nn.parameter.Parameter']);

const TORCH_GLOBALS = new Map<string, PickleCallable | null>([
  ['collections.OrderedDict', orderedDict],
  ['torch._utils._rebuild_tensor', rebuildTensor],
  ['torch._utils._rebuild_tensor_v2', rebuildTensor],
  // Parameters and hooks-free subclasses reduce to their data; requires_grad etc. don't affect values.
  ['torch._utils._rebuild_parameter', (args) => tensorArg(args[0])],
  ['torch._utils._rebuild_parameter_with_state', (args) => tensorArg(args[0])],
  ['torch._tensor._rebuild_from_type_v2', rebuildFromType],
  ...[...STORAGE_TYPES.keys(), ...TENSOR_TYPES].map((name) => [name, null] as const),
]);

const REFUSAL =
  'only PyTorch state_dict types (tensors, storages, OrderedDict) are allowed; this file may be malicious. ' +
  'If it is your own checkpoint, save only plain data: torch.save(model.state_dict(), path) rather than the whole ' +
  'model, and any saved args as a dict (vars(args)) rather than an argparse Namespace.';

/** Unpickles a PyTorch pickle with only state_dict types allowed; `loadStorage` answers persistent ids. */
export function loadTorchPickle(
  bytes: Uint8Array,
  source: string,
  loadStorage: (pid: StorageRef) => void,
  start = 0,
): UnpickleResult {
  const persistentLoad = (pid: unknown): StorageRef => {
    const ref = storageRef(pid, source);
    loadStorage(ref);
    return ref;
  };
  return unpickle(bytes, { globals: TORCH_GLOBALS, refusal: REFUSAL, persistentLoad, source }, start);
}

/** ('storage', storage_type, key, location, numel[, view_metadata]) as both torch formats write it. */
function storageRef(pid: unknown, source: string): StorageRef {
  const bad = (why: string): ConverterError =>
    new ConverterError('E_CORRUPT_FILE', `${source}: persistent id ${describe(pid)} ${why}`);
  if (!Array.isArray(pid) || pid[0] !== 'storage') throw bad(`is not a ('storage', ...) tuple`);
  const [, type, key, , numel, view] = pid as unknown[];
  const dtype = type instanceof PyGlobal ? STORAGE_TYPES.get(type.qualifiedName) : undefined;
  if (!dtype) throw bad('names no known storage type');
  if (typeof key !== 'string' || !isCount(numel)) throw bad('lacks a string key and an element count');
  if (view === undefined || view === null) return { key, dtype, numel, viewOffset: 0 };
  const [, viewOffset, viewSize] = Array.isArray(view) ? (view as unknown[]) : [];
  if (!isCount(viewOffset) || !isCount(viewSize) || viewOffset + viewSize > numel) throw bad('has a bad storage view');
  return { key, dtype, numel, viewOffset };
}

/** `OrderedDict()` then SETITEMS, or (Python 2 pickles) `OrderedDict([[key, value], ...])`. */
function orderedDict(args: readonly unknown[]): Map<unknown, unknown> {
  const [items = []] = args;
  const isPair = (pair: unknown): pair is unknown[] => Array.isArray(pair) && pair.length === 2;
  if (!Array.isArray(items) || !items.every(isPair)) {
    throw callError('collections.OrderedDict', 'a list of pairs', items);
  }
  return new Map(items.map((pair) => [pair[0], pair[1]]));
}

/** _rebuild_tensor(_v2)(storage, storage_offset, size, stride, ...): the rest are autograd details. */
function rebuildTensor(args: readonly unknown[]): TensorSpec {
  const [storage, offset, shape, strides] = args;
  if (!isStorageRef(storage)) throw callError('torch._utils._rebuild_tensor_v2', 'a storage', storage);
  if (!isCount(offset) || !isCountTuple(shape) || !isCountTuple(strides) || shape.length !== strides.length) {
    throw callError('torch._utils._rebuild_tensor_v2', 'offset, size and stride', args.slice(1, 4));
  }
  return { storage, offset, shape, strides };
}

/** Tensor subclasses and tensors with Python attributes: (func, type, args, state). */
function rebuildFromType(args: readonly unknown[]): TensorSpec {
  const [func, type, funcArgs] = args;
  if (!(type instanceof PyGlobal) || !TENSOR_TYPES.has(type.qualifiedName)) {
    throw callError('torch._tensor._rebuild_from_type_v2', 'torch.Tensor or Parameter', type);
  }
  if (!(func instanceof PyGlobal) || !func.call || !Array.isArray(funcArgs)) {
    throw callError('torch._tensor._rebuild_from_type_v2', 'a rebuild function and its arguments', func);
  }
  return tensorArg(func.call(funcArgs));
}

function tensorArg(value: unknown): TensorSpec {
  if (!isTensorSpec(value)) throw callError('torch._utils._rebuild_parameter', 'a tensor', value);
  return value;
}

export function isTensorSpec(value: unknown): value is TensorSpec {
  return (
    typeof value === 'object' && value !== null && 'strides' in value && isStorageRef((value as TensorSpec).storage)
  );
}

function isStorageRef(value: unknown): value is StorageRef {
  return typeof value === 'object' && value !== null && 'viewOffset' in value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isCountTuple(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isCount);
}

function callError(name: string, expected: string, found: unknown): ConverterError {
  return new ConverterError('E_CORRUPT_FILE', `pickle calls ${name} with ${describe(found)} where ${expected} belongs`);
}

/** A short description for messages: a few items, a few levels (a hostile pickle may nest or loop forever). */
export function describe(value: unknown, depth = 0): string {
  if (value instanceof PyGlobal) return value.qualifiedName;
  if (Array.isArray(value)) {
    if (depth >= 3) return '(…)';
    const items = value.slice(0, 6).map((item) => describe(item, depth + 1));
    return `(${items.join(', ')}${value.length > 6 ? `, … ${value.length - 6} more` : ''})`;
  }
  if (value instanceof Map) return 'a dict';
  if (isTensorSpec(value)) return 'a single tensor';
  if (typeof value === 'string') return value.length > 80 ? `'${value.slice(0, 80)}…'` : `'${value}'`;
  return String(value);
}

import type { CheckpointInfo } from './checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { describe, isTensorSpec, type TensorSpec } from './torch-pickle.js';

/**
 * Where training scripts put the weights. EMA weights (timm's `state_dict_ema`, torchvision's
 * `model_ema`) are what such scripts evaluate and ship, so they win over the live ones.
 */
const EMA_KEYS = ['state_dict_ema', 'model_ema', 'ema_state_dict', 'ema'];
const WRAPPER_KEYS = ['state_dict', 'model', 'model_state_dict', 'net'];
/** DataParallel / DistributedDataParallel, and torch.compile's wrapper module; either may wrap the other. */
const KEY_PREFIXES = ['module.', '_orig_mod.'];
/** torch.optim.swa_utils.AveragedModel's step counter, saved beside its `module.` weights. */
const AVERAGING_COUNTER = 'n_averaged';
/** A checkpoint wraps its state_dict once or twice; wrappers deeper than this (or a loop of them) are a hostile file. */
const MAX_WRAPPING = 4;
const LABEL_KEYS = ['class_to_idx', 'classes', 'idx_to_class'];
/** Where scripts keep their hyper-parameters as a dict (an argparse Namespace is not a plain type). */
const ARGS_KEYS = ['args', 'config', 'hparams', 'cfg'];

export interface FoundStateDict {
  readonly specs: Map<string, TensorSpec>;
  readonly info: CheckpointInfo;
}

/**
 * The flat name → tensor map inside an unpickled checkpoint (the top-level dict itself or one
 * under a wrapper key, EMA preferred, prefixes removed) and what the script saved beside it.
 */
export function findStateDict(root: unknown, source: string): FoundStateDict {
  if (!(root instanceof Map)) {
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `${source} holds ${describe(root)}, not a state_dict (a dict of tensors)`,
    );
  }
  const { dict, from } = locateWeights(root, source);
  const entries = tensorEntries(dict).filter(([key]) => key !== AVERAGING_COUNTER);
  return { specs: new Map(stripPrefixes(entries)), info: { ...trainingInfo(root), ...(from !== undefined && { weightsFrom: from }) } };
}

function locateWeights(root: Map<unknown, unknown>, source: string, depth = 0): { dict: Map<unknown, unknown>; from?: string } {
  if (tensorEntries(root).length > 0) return { dict: root };
  if (depth > MAX_WRAPPING) {
    throw new ConverterError('E_UNSUPPORTED_FORMAT', `${source} wraps its weights more than ${MAX_WRAPPING} dicts deep (or in a loop); expected a state_dict`);
  }
  const isDict = (key: string) => root.get(key) instanceof Map;
  const ema = EMA_KEYS.find(isDict);
  const live = WRAPPER_KEYS.find(isDict);
  const key = ema ?? live;
  if (key === undefined) {
    const keys = [...root.keys()].slice(0, 10).map((k) => describe(k)).join(', ');
    throw new ConverterError(
      'E_UNSUPPORTED_FORMAT',
      `${source} holds a dict with no tensors (keys: ${keys || 'none'}); expected a state_dict, ` +
        `or one under ${[...WRAPPER_KEYS, ...EMA_KEYS].map((k) => `'${k}'`).join(' / ')}`,
    );
  }
  const inner = locateWeights(root.get(key) as Map<unknown, unknown>, source, depth + 1);
  const note = ema !== undefined && live !== undefined ? `'${ema}' (the EMA weights, preferred over '${live}')` : `'${key}'`;
  return { dict: inner.dict, from: inner.from === undefined ? note : `${note} → ${inner.from}` };
}

function tensorEntries(dict: Map<unknown, unknown>): Array<[string, TensorSpec]> {
  const entries: Array<[string, TensorSpec]> = [];
  for (const [key, value] of dict) {
    if (typeof key === 'string' && isTensorSpec(value)) entries.push([key, value]);
  }
  return entries;
}

/** Only when every key has the prefix: a model may legitimately own a submodule called `module`. */
function stripPrefixes(entries: Array<[string, TensorSpec]>): Array<[string, TensorSpec]> {
  const prefix = KEY_PREFIXES.find((p) => entries.length > 0 && entries.every(([key]) => key.startsWith(p)));
  if (prefix === undefined) return entries;
  return stripPrefixes(entries.map(([key, spec]) => [key.slice(prefix.length), spec]));
}

function trainingInfo(root: Map<unknown, unknown>): CheckpointInfo {
  const labelKey = LABEL_KEYS.find((key) => root.has(key));
  const dicts = [root, ...ARGS_KEYS.map((key) => root.get(key))].filter((d): d is Map<unknown, unknown> => d instanceof Map);
  const transformInput = dicts.map((d) => d.get('transform_input')).find((v): v is boolean => typeof v === 'boolean');
  return {
    ...(labelKey !== undefined && { labels: { key: labelKey, value: root.get(labelKey) } }),
    ...(transformInput !== undefined && { transformInput }),
  };
}

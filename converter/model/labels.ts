import { readFileSync } from 'node:fs';
import type { CheckpointInfo } from '../read/checkpoint-types.js';
import { ConverterError } from '../errors.js';
import { IMAGENET_CLASSES } from './imagenet-classes.js';

/**
 * Class names as a caller gives them: a list in index order; ImageFolder's `class_to_idx`
 * ({label: index}); a path to a text file (one label per line) or JSON file (either form);
 * or `'none'` for `class 0` … `class N-1`.
 */
export type LabelsOption = string | readonly string[] | Readonly<Record<string, number>>;

const FORMS = "a text file with one label per line, a JSON array, or ImageFolder's class_to_idx JSON ({\"label\": index})";

/**
 * The model's labels: the caller's, else the checkpoint's own (`class_to_idx`, `classes`,
 * `idx_to_class`), else ImageNet's for a 1000-class head. Anything else is an error that says
 * how to pass them. `numClasses` 0 (no classifier) has none.
 */
export function resolveLabels(option: LabelsOption | undefined, info: CheckpointInfo | undefined, numClasses: number): string[] {
  if (numClasses === 0) {
    if (option !== undefined && option !== 'none') {
      throw new ConverterError('E_BAD_LABELS', 'labels were given, but this checkpoint has no classifier (no fc.weight / fc.bias): it converts to an embedding-only model; leave out --labels');
    }
    return [];
  }
  const labels = fromOption(option, numClasses) ?? fromCheckpoint(info) ?? (numClasses === IMAGENET_CLASSES.length ? [...IMAGENET_CLASSES] : undefined);
  if (labels === undefined) {
    throw new ConverterError(
      'E_NO_LABELS',
      `the checkpoint has a ${numClasses}-class head but no labels (no class_to_idx, classes or idx_to_class inside it); ` +
        `pass them with --labels FILE (API: labels), as ${FORMS}, or use --labels none for 'class 0' … 'class ${numClasses - 1}'`,
    );
  }
  if (labels.length !== numClasses) {
    throw new ConverterError('E_BAD_LABELS', `${labels.length} labels were given, but the checkpoint's head has ${numClasses} classes (fc.weight is [${numClasses}, 2048]); give exactly one label per class`);
  }
  return labels;
}

function fromOption(option: LabelsOption | undefined, numClasses: number): string[] | undefined {
  if (option === undefined) return undefined;
  if (option === 'none') return Array.from({ length: numClasses }, (_, i) => `class ${i}`);
  if (typeof option === 'string') return readLabelsFile(option);
  return parseLabels(option, 'the labels option');
}

function fromCheckpoint(info: CheckpointInfo | undefined): string[] | undefined {
  return info?.labels && parseLabels(info.labels.value, `the checkpoint's '${info.labels.key}'`);
}

/** Reads a labels file: JSON (array or class_to_idx) when it parses as such, else one label per line. */
export function readLabelsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConverterError('E_FILE_NOT_FOUND', `cannot read the labels file '${path}' (${(error as Error).message}); pass ${FORMS}`);
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return parseLabels(trimmed.split(/\r?\n/).map((line) => line.trim()), `'${path}'`);
  try {
    return parseLabels(JSON.parse(trimmed) as unknown, `'${path}'`);
  } catch (error) {
    if (error instanceof ConverterError) throw error;
    throw new ConverterError('E_BAD_LABELS', `'${path}' starts like JSON but does not parse (${(error as Error).message}); pass ${FORMS}`);
  }
}

/**
 * A list of labels in index order, from a list, a {label: index} map (class_to_idx, whose key
 * order need not be index order) or an {index: label} map (idx_to_class). Maps may be JS Maps
 * (unpickled dicts) or plain objects (JSON).
 */
export function parseLabels(value: unknown, where: string): string[] {
  const bad = (why: string) => new ConverterError('E_BAD_LABELS', `${where} ${why}; pass ${FORMS}`);
  if (Array.isArray(value)) {
    const empty = value.findIndex((label) => typeof label !== 'string' || label === '');
    if (empty >= 0) throw bad(`has ${JSON.stringify(value[empty]) ?? 'nothing'} at position ${empty}, where a non-empty label belongs`);
    return value as string[];
  }
  const entries = value instanceof Map ? [...value.entries()] : typeof value === 'object' && value !== null ? Object.entries(value) : undefined;
  if (entries === undefined || entries.length === 0) throw bad(`is ${JSON.stringify(value) ?? String(value)}, not a list of labels or a non-empty {label: index} map`);
  if (entries.every(([, index]) => typeof index === 'number')) return byIndex(entries.map(([label, index]) => [index, label]), bad);
  if (entries.every(([, label]) => typeof label === 'string')) return byIndex(entries.map(([index, label]) => [Number(index), label]), bad);
  throw bad('mixes kinds of values: expected {label: index} (class_to_idx) or {index: label} (idx_to_class)');
}

/** Orders (index, label) pairs, which must cover 0 … n-1 exactly once. */
function byIndex(pairs: Array<[unknown, unknown]>, bad: (why: string) => ConverterError): string[] {
  const labels: string[] = [];
  for (const [index, label] of pairs) {
    if (typeof label !== 'string' || label === '') throw bad(`maps index ${String(index)} to ${JSON.stringify(label)}, not a non-empty label`);
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= pairs.length) {
      throw bad(`gives '${label}' the index ${String(index)}; indices must be 0 … ${pairs.length - 1}`);
    }
    if (labels[index as number] !== undefined) throw bad(`gives index ${String(index)} to both '${labels[index as number]}' and '${label}'`);
    labels[index as number] = label;
  }
  return labels;
}

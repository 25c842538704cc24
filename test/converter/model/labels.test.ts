/** Labels from where people keep them, in index order, with one clear error per mistake. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGENET_CLASSES } from '../../../converter/model/imagenet-classes.js';
import { parseLabels, readLabelsFile, resolveLabels } from '../../../converter/model/labels.js';

const dir = mkdtempSync(join(tmpdir(), 'iw-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('label files', () => {
  it('a text file: one label per line, CRLF and a trailing newline tolerated, spaces inside kept', () => {
    expect(readLabelsFile(file('labels.txt', 'golden retriever\r\ncat\nsnow leopard\n'))).toEqual(['golden retriever', 'cat', 'snow leopard']);
  });

  it('a JSON array, and class_to_idx whose key order is not index order', () => {
    expect(readLabelsFile(file('list.json', '["b", "a"]'))).toEqual(['b', 'a']);
    expect(readLabelsFile(file('class_to_idx.json', '{"tulip": 2, "beach": 0, "dog": 1}'))).toEqual(['beach', 'dog', 'tulip']);
  });

  it('a missing file is E_FILE_NOT_FOUND; broken JSON and an empty line are E_BAD_LABELS', () => {
    expect(errorOf(() => readLabelsFile(join(dir, 'nope.txt'))).code).toBe('E_FILE_NOT_FOUND');
    expect(errorOf(() => readLabelsFile(file('broken.json', '{"a": 0,')))).toMatchObject({ code: 'E_BAD_LABELS', message: expect.stringContaining('does not parse') });
    expect(errorOf(() => readLabelsFile(file('gap.txt', 'a\n\nb\n')))).toMatchObject({ code: 'E_BAD_LABELS', message: expect.stringContaining('position 1') });
  });
});

describe('checkpoint label forms', () => {
  it('idx_to_class as an unpickled dict with int keys, and classes as a tuple', () => {
    expect(parseLabels(new Map([[1, 'cat'], [0, 'dog']]), 'x')).toEqual(['dog', 'cat']);
    expect(parseLabels(Object.freeze(['a', 'b']), 'x')).toEqual(['a', 'b']);
  });

  it.each([
    [{ a: 0, b: 2 }, "gives 'b' the index 2; indices must be 0 … 1"],
    [{ a: 0, b: 0 }, "gives index 0 to both 'a' and 'b'"],
    [{ a: 0, b: 'x' }, 'mixes kinds of values'],
    [{}, 'is {}, not a list of labels'],
    [['a', ''], 'has "" at position 1'],
  ])('%j → E_BAD_LABELS: %s', (value, why) => {
    expect(errorOf(() => parseLabels(value, 'the labels option'))).toMatchObject({ code: 'E_BAD_LABELS', message: expect.stringContaining(why) });
  });
});

describe('which labels a model gets', () => {
  const info = { labels: { key: 'classes', value: ['no', 'yes'] } };

  it("the caller's over the checkpoint's over ImageNet's", () => {
    expect(resolveLabels(['x', 'y'], info, 2)).toEqual(['x', 'y']);
    expect(resolveLabels(undefined, info, 2)).toEqual(['no', 'yes']);
    expect(resolveLabels(undefined, undefined, 1000)).toEqual(IMAGENET_CLASSES);
    expect(resolveLabels('none', undefined, 3)).toEqual(['class 0', 'class 1', 'class 2']);
    expect(resolveLabels(undefined, undefined, 0)).toEqual([]);
  });

  it('N ≠ 1000 without labels → E_NO_LABELS saying how to pass them', () => {
    const error = errorOf(() => resolveLabels(undefined, undefined, 7));
    expect(error.code).toBe('E_NO_LABELS');
    expect(error.message).toMatch(/7-class head.*--labels FILE.*class_to_idx.*--labels none/);
  });

  it('a label count that differs from N names both numbers; labels for an embedding-only model are refused', () => {
    expect(errorOf(() => resolveLabels(['a', 'b', 'c'], undefined, 2))).toMatchObject({ code: 'E_BAD_LABELS', message: expect.stringContaining('3 labels were given, but the checkpoint\'s head has 2 classes') });
    expect(errorOf(() => resolveLabels(['a'], undefined, 0))).toMatchObject({ code: 'E_BAD_LABELS', message: expect.stringContaining('no classifier') });
  });
});

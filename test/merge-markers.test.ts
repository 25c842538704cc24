/**
 * No file git tracks holds a line left by an unresolved merge (`<<<<<<< `, `=======`, `>>>>>>> `):
 * one once reached docs/benchmarks.md unnoticed, since Markdown renders it as text.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../tools/paths.js';

const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|html|css|py|sh|yml|yaml|txt)$/;
const MARKER = /^(<{7} |={7}$|>{7} )/m;

describe('merge markers', () => {
  it('are in no tracked text file', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((file) => TEXT.test(file));
    expect(files.length).toBeGreaterThan(100);
    const marked = files.filter((file) => MARKER.test(readFileSync(`${ROOT}${file}`, 'utf8')));
    expect(marked).toEqual([]);
  });
});

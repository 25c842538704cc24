/** The published package as a user consumes it: the built entry points (npm test builds first). */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../tools/paths.js';

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  type: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
};

describe('package.json', () => {
  it('is ESM and lists types first in every export, pointing at built files', () => {
    expect(pkg.type).toBe('module');
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target)[0], entry).toBe('types');
      expect(existsSync(`${ROOT}${target.types}`), target.types).toBe(true);
      expect(existsSync(`${ROOT}${target.default}`), target.default).toBe(true);
    }
  });

  it('has an executable inception-webgpu bin', () => {
    const bin = `${ROOT}${pkg.bin['inception-webgpu']}`;
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('resolves its entry points by package name, as a user would import them', async () => {
    const converter = await import('inception-webgpu/converter');
    expect(typeof converter.convertFile).toBe('function');
    const node = await import('inception-webgpu/node');
    expect(typeof node.loadClassifier).toBe('function');
    expect(typeof node.decodeImage).toBe('function');
    const vite = await import('inception-webgpu/vite');
    expect(vite.tfjsWasmThreads().name).toContain('wasm-threads');
  });
});

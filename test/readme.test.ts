/**
 * The README as a user reads it: install first, every error code and option documented with its
 * default, and links that lead somewhere. (test/package/vite-app.slow.test.ts builds its code.)
 */
import { execFileSync } from 'node:child_process';
import { normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readme, readmeSection, REPO_ROOT } from '../tools/package/index.js';
import { ERROR_CODES } from '../shared/errors.js';
import { LOAD_DEFAULTS, MANY_DEFAULTS, POOL_DEFAULTS } from '../src/options.js';
import pkg from '../package.json' with { type: 'json' };

const text = readme();
/** Table rows of a section, as cells without their outer pipes. */
const tableRows = (section: string): string[][] =>
  section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'))
    .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()));

describe('README', () => {
  it('starts, after the pitch, with "Use it in your app" and the install line', () => {
    expect(text.match(/^## .*/m)?.[0]).toBe('## Use it in your app');
    expect(readmeSection('### Install')).toContain('npm install inception-webgpu\n');
  });

  it('has every error code the package throws in the Errors table, with what to do', () => {
    const rows = tableRows(readmeSection('## Errors')).slice(1);
    for (const code of ERROR_CODES) {
      const row = rows.find(([codes]) => codes?.includes(`\`${code}\``));
      expect(row, code).toBeDefined();
      expect(row?.[2]?.length ?? 0, `what to do about ${code}`).toBeGreaterThan(10);
    }
  });

  it('has every load option with its default from LOAD_DEFAULTS in the Options table', () => {
    const rows = new Map(tableRows(readmeSection('## Options')).map(([option, defaultValue]) => [option, defaultValue]));
    for (const [option, value] of Object.entries(LOAD_DEFAULTS)) {
      const shown = rows.get(`\`${option}\``)?.replace(/[`'_]/g, '');
      // An array default is written as the literal, e.g. `[]`.
      expect(shown, option).toBe(Array.isArray(value) ? JSON.stringify(value) : String(value));
    }
  });

  it('documents classifyMany and loadWorkerPool options with the defaults in MANY_DEFAULTS and POOL_DEFAULTS', () => {
    const defaults = (heading: string) => new Map(tableRows(readmeSection(heading)).map(([option, value]) => [option, value]));
    const many = defaults('### A library of photos: classifyMany');
    expect(many.get('`concurrency`')).toBe(`\`${MANY_DEFAULTS.concurrency}\` (a pool: ${POOL_DEFAULTS.concurrencyPerWorker} per worker)`);
    expect(many.get('`embeddings`')).toBe(`\`${MANY_DEFAULTS.embeddings}\``);
    const pool = defaults('### Every core without COOP/COEP: loadWorkerPool');
    expect(pool.get('`backend`')).toBe(`\`'${POOL_DEFAULTS.backend}'\``);
    expect(pool.get('`wasmThreads`')).toBe(`\`${POOL_DEFAULTS.wasmThreads}\``);
    expect(pool.get('`size`')).toContain(`at most ${POOL_DEFAULTS.maxSize}`);
    expect(readmeSection('### Every core without COOP/COEP: loadWorkerPool')).toContain(`about ${POOL_DEFAULTS.workerMegabytes.float32} MB`);
  });

  it('links to the repository, where the files the tarball does not ship are', () => {
    const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(text).toContain(repository);
  });

  it('links only to files and folders that exist in the repository', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n');
    const paths = new Set(tracked.flatMap((file) => file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
    const links = [...text.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)].map(([, link = '']) => link.split('#')[0] ?? '');
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !paths.has(normalize(link).replace(/\/$/, '')))).toEqual([]);
  });
});

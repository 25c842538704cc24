/**
 * What `npm pack` ships: a LICENSE, the metadata npm shows, source maps that carry their sources,
 * and no file that no entry point can reach.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packedFiles, REPO_ROOT } from '../../tools/package/index.js';

interface Manifest {
  license: string;
  repository: { url: string };
  homepage: string;
  bugs: { url: string };
  keywords: string[];
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
}
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const shipped = packedFiles().map((file) => file.path);
const REPOSITORY = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

describe('package metadata', () => {
  it('ships an MIT LICENSE and says where the project lives', () => {
    expect(shipped).toContain('LICENSE');
    const license = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
    expect(manifest.license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} inception-webgpu contributors\n/);
    expect(REPOSITORY).toMatch(/^https:\/\/github\.com\/[\w-]+\/[\w-]+$/);
    expect(manifest.homepage.startsWith(REPOSITORY)).toBe(true);
    expect(manifest.bugs.url).toBe(`${REPOSITORY}/issues`);
    expect(manifest.keywords.length).toBeGreaterThanOrEqual(5);
  });
});

describe('source maps', () => {
  it('carry the source text of every file they point at (src/ is not shipped)', () => {
    const maps = shipped.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
      expect(map.sourcesContent?.every((text) => typeof text === 'string' && text.length > 0), file).toBe(true);
    }
  });
});

/** Relative specifiers a built module loads: static and dynamic imports, re-exports, and `new URL(…, import.meta.url)`. */
const RELATIVE_LOADS = [
  /(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /import\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g,
];

/**
 * Files reachable from `entries` by following relative loads, as package-relative paths; `ext` is
 * '.js' for the module graph or '.d.ts' for the declaration graph (where './x.js' means x.d.ts).
 */
function reachableFrom(entries: string[], ext: '.js' | '.d.ts'): Set<string> {
  const pending = entries.map((path) => normalize(path));
  const seen = new Set<string>();
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(REPO_ROOT, file), 'utf8');
    for (const pattern of RELATIVE_LOADS) {
      for (const [, specifier = ''] of code.matchAll(pattern)) {
        // The Vite plugin's `…?raw` import is text it writes into the app's code, not one of ours.
        if (specifier.endsWith('.js')) pending.push(normalize(join(dirname(file), specifier.replace(/\.js$/, ext))));
      }
    }
  }
  return seen;
}

/** Module names (paths without extension) that an entry point or the bin loads, or whose types they name. */
function reachableModules(): Set<string> {
  const targets = Object.values(manifest.exports).filter((target) => typeof target !== 'string');
  const code = reachableFrom([...Object.values(manifest.bin), ...targets.map((target) => target.default)], '.js');
  const types = reachableFrom(targets.map((target) => target.types), '.d.ts');
  return new Set([...code, ...types].map((file) => file.replace(/\.d\.ts$|\.js$/, '')));
}

describe('shipped files', () => {
  it('are all reachable from an entry point or the bin, as code or as types', () => {
    const reachable = reachableModules();
    const unreachable = shipped.filter((file) => file.startsWith('dist/') && !reachable.has(file.replace(/\.d\.ts$|\.js$|\.js\.map$/, '')));
    expect(unreachable).toEqual([]);
  });

  it('include nothing from the test, bench, demo, tools or converter/synthetic folders', () => {
    expect(shipped.filter((file) => /^(dist\/)?(test|bench|demo|tools|converter\/synthetic)\//.test(file))).toEqual([]);
  });
});

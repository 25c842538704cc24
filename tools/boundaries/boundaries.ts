/**
 * Which top-level folder may import which (docs/architecture.md explains why). Imports between
 * npm packages are not checked: only relative imports, the ones that cross our own folders.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { ROOT } from '../paths.js';

/** A folder's allowed import targets: whole folders, or single entry files (public entry points). */
interface Rule {
  readonly folders: readonly string[];
  readonly files?: readonly string[];
  /** Why, printed with a violation. */
  readonly why: string;
}

const PUBLIC_ENTRIES = ['src/index.ts', 'src/node/index.ts', 'converter/index.ts'];

export const RULES: Readonly<Record<string, Rule>> = {
  shared: { folders: ['shared'], why: 'shared/ is the base both the runtime and the converter import; it imports neither' },
  src: { folders: ['src', 'shared'], why: 'the runtime ships to browsers: it must not pull in the converter or the CLI' },
  converter: { folders: ['converter', 'shared'], why: 'the converter shares only shared/ with the runtime' },
  cli: { folders: ['cli'], files: PUBLIC_ENTRIES, why: 'the CLI is a client of the public entries, as a user script would be' },
  demo: { folders: ['demo'], files: ['src/index.ts'], why: 'the demo uses the package as an app does, through its entry' },
  tools: { folders: ['tools', 'shared', 'src', 'converter', 'cli'], why: 'tools/ serves test/ and bench/, so it cannot depend on either' },
  bench: { folders: ['bench', 'tools', 'shared', 'src', 'converter', 'cli'], why: 'benchmarks share tools/ with the tests, not the tests themselves' },
  scripts: { folders: ['scripts', 'tools', 'shared', 'src', 'converter', 'cli'], why: 'developer scripts use tools/, not test/ or bench/' },
};

export interface SourceFile {
  /** Repository-relative path, e.g. 'cli/main.ts'. */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly why: string;
}

// Static imports and re-exports, side-effect imports, and dynamic import() of a relative path.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The .ts file a specifier names (`./x.js` is `./x.ts` in the sources). */
function importedFile(from: string, specifier: string): string {
  return normalize(join(dirname(from), specifier)).replace(/\.js$/, '.ts');
}

function allowed(rule: Rule, target: string): boolean {
  return rule.folders.some((folder) => target.startsWith(`${folder}/`)) || (rule.files ?? []).includes(target);
}

/** Every relative import that crosses a boundary, with its line. */
export function findViolations(files: readonly SourceFile[]): Violation[] {
  return files.flatMap(({ path, text }) => {
    const rule = RULES[path.split('/')[0] ?? ''];
    if (!rule || !path.includes('/')) return [];
    return [...text.matchAll(RELATIVE_IMPORT)]
      .map((match) => ({ target: importedFile(path, match[1] ?? ''), index: match.index ?? 0 }))
      .filter(({ target }) => !allowed(rule, target))
      .map(({ target, index }) => ({ file: path, line: text.slice(0, index).split('\n').length, target, why: rule.why }));
  });
}

/** The repository's TypeScript files, committed or not (git-ignored ones aside). */
export function repositorySources(): SourceFile[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mts'], { cwd: ROOT, encoding: 'utf8' });
  // A path is listed once per stage while a merge is unresolved: read each once.
  return [...new Set(listed.split('\n').filter(Boolean))].map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

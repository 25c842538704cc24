/** Code from the README, so tests run the snippets users copy rather than a copy of them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

export function readme(): string {
  return readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
}

/** The text under `heading` (a whole line, e.g. '### Configure Vite') up to the next heading of any level. */
export function readmeSection(heading: string): string {
  const text = readme();
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no heading '${heading}'`);
  const body = text.slice(start + heading.length + 2);
  const end = body.search(/^#{1,6} /m);
  return end < 0 ? body : body.slice(0, end);
}

/** The first ```ts block under `heading`. */
export function readmeTsBlock(heading: string): string {
  const block = /```ts\n([\s\S]*?)```/.exec(readmeSection(heading))?.[1];
  if (block === undefined) throw new Error(`README section '${heading}' has no ts code block`);
  return block;
}

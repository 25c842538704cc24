/** The JavaScript a Vite build loads before the app's first line runs: its entry chunk and static imports. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
}

export interface EagerJs {
  readonly files: string[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Reads `<outDir>/.vite/manifest.json` (written by `vite build --manifest`). */
export function eagerJs(outDir: string): EagerJs {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = [...seen].map((key) => manifest[key]?.file ?? key).filter((file) => file.endsWith('.js'));
  const sources = files.map((file) => readFileSync(join(outDir, file)));
  return {
    files,
    bytes: sources.reduce((sum, source) => sum + source.length, 0),
    gzipBytes: sources.reduce((sum, source) => sum + gzipSync(source, { level: 9 }).length, 0),
  };
}

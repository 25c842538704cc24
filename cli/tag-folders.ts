import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TaggerError } from '../src/node/index.js';
import { UsageError } from './cli-errors.js';

/** What decodeImage reads; anything else in a tag folder (notes, .DS_Store) is skipped. */
const IMAGE_FILE = /\.(jpe?g|png|webp)$/i;

export interface TagFolder {
  readonly label: string;
  readonly files: readonly string[];
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

const visible = (name: string) => !name.startsWith('.');

/** `root`'s subfolders as tags (named for the folder), each with its photos, both sorted by name. */
export async function readTagFolders(root: string): Promise<TagFolder[]> {
  if (!(await isFolder(root))) throw new UsageError(`train needs a folder with one subfolder per tag; '${root}' is not a folder`);
  const entries = await readdir(root, { withFileTypes: true });
  const labels = entries.filter((e) => e.isDirectory() && visible(e.name)).map((e) => e.name).sort();
  if (labels.length === 0) throw new TaggerError('E_NO_EXAMPLES', `'${root}' has no subfolders: make one per tag, named for the tag, holding its photos`);
  const folders = await Promise.all(
    labels.map(async (label) => {
      const dir = join(root, label);
      const files = (await readdir(dir)).filter((name) => visible(name) && IMAGE_FILE.test(name)).sort().map((name) => join(dir, name));
      return { label, files };
    }),
  );
  // Checked in name order, so the error names the same folder every run.
  const empty = folders.find((folder) => folder.files.length === 0);
  if (empty) throw new TaggerError('E_EMPTY_CLASS', `the tag folder '${join(root, empty.label)}' has no JPEG, PNG or WebP photos; add some, or remove the folder`);
  return folders;
}

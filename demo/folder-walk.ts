/** A file from a drop, picker or paste, with its path inside a dropped folder. */
export interface IncomingFile {
  readonly file: File;
  readonly path: string;
}

/** .DS_Store, .git/…: what a folder holds but nobody means to tag. */
export const isHiddenPath = (path: string): boolean => path.split('/').some((part) => part.startsWith('.'));

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** readEntries() hands a directory over in batches (100 in Chromium) until it returns none. */
async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Every file under `entry`, in path order; hidden files (.DS_Store and the like) are skipped. */
export async function walkEntry(entry: FileSystemEntry): Promise<IncomingFile[]> {
  if (entry.isFile) return [{ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\//, '') }];
  const children = (await readAllEntries(entry as FileSystemDirectoryEntry)).filter((child) => !isHiddenPath(child.name));
  children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const nested = await Promise.all(children.map(walkEntry));
  return nested.flat();
}

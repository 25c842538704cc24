import { byId } from './dom.js';
import { isHiddenPath, walkEntry, type IncomingFile } from './folder-walk.js';

type Receive = (files: IncomingFile[]) => void;

/**
 * A drop's files and folders. The DataTransfer empties once the event handler returns, so its
 * entries are taken synchronously here and the folders walked afterwards.
 */
function takeDrop(transfer: DataTransfer): Promise<IncomingFile[]> {
  const items = [...transfer.items].filter((item) => item.kind === 'file');
  const taken = items.map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }));
  return Promise.all(
    taken.map(async ({ entry, file }) => {
      // A DataTransfer built by script has no file-system entries, only files.
      if (entry?.isDirectory) return walkEntry(entry);
      return file ? [{ file, path: file.name }] : [];
    }),
  ).then((lists) => lists.flat());
}

/** Whether the event happened over a zone that takes its own drops (marked `data-own-drops`), such as the "Teach a tag" panel's. */
function overOwnZone(event: Event): boolean {
  return event.target instanceof Element && event.target.closest('[data-own-drops]') !== null;
}

function listenForDrops(receive: Receive): void {
  const zone = byId('dropzone');
  // The whole page takes drops, so a photo that misses the zone is tagged rather than opened by the browser.
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.toggle('dragging', !overOwnZone(event));
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) zone.classList.remove('dragging');
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (event.dataTransfer && !overOwnZone(event)) void takeDrop(event.dataTransfer).then(receive);
  });
}

function listenToPicker(buttonId: string, inputId: string, receive: Receive): void {
  const input = byId<HTMLInputElement>(inputId);
  byId(buttonId).addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    receive(files.filter((f) => !isHiddenPath(f.path)));
    // Cleared so picking the same files again still fires 'change'.
    input.value = '';
  });
}

function listenForPaste(receive: Receive): void {
  document.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    receive(files.map((file) => ({ file, path: file.name })));
  });
}

/** Photos arrive by drag and drop (files and whole folders), the two pickers, or paste. */
export function acceptPhotos(receive: Receive): void {
  listenForDrops(receive);
  listenToPicker('pick-files', 'file-input', receive);
  listenToPicker('pick-folder', 'folder-input', receive);
  listenForPaste(receive);
}

/**
 * Photos for `zone` alone: dropped on it (the page-wide listener leaves it alone: it must carry
 * `data-own-drops`) or chosen with its picker.
 */
export function acceptPhotosOn(zone: HTMLElement, buttonId: string, inputId: string, receive: Receive): void {
  zone.addEventListener('dragover', () => zone.classList.add('dragging'));
  zone.addEventListener('dragleave', (event) => {
    if (!(event.relatedTarget instanceof Node && zone.contains(event.relatedTarget))) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (event) => {
    zone.classList.remove('dragging');
    if (event.dataTransfer) void takeDrop(event.dataTransfer).then(receive);
  });
  listenToPicker(buttonId, inputId, receive);
}

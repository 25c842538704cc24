import { deleteSavedTagger, listSavedTaggers, loadSavedTagger, loadTaggerFile, saveTagger, taggerToBlob, type SavedTaggerInfo, type Tagger } from '../src/index.js';
import { announce } from './announcer.js';
import { byId, h } from './dom.js';
import { saveBlob } from './export-tags.js';
import type { TeachNotice } from './teach-notice.js';
import type { TaggerSession } from './tagger-session.js';

const describeSaved = (info: SavedTaggerInfo) => `${info.name}: ${info.labels.join(', ')}${info.trained ? '' : ' (not trained)'}`;
const describeLoaded = (tagger: Tagger) => `${tagger.labels.join(', ')}${tagger.trained ? ', trained' : ', not trained yet'}`;

/** A file name from the user's name for the tagger: letters, digits, dashes. */
const fileStem = (name: string) => name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'tagger';

/** Keeping taught tags: saved by name in this browser (IndexedDB), or downloaded and uploaded as a JSON file. */
export class TaggerStoreView {
  private readonly name = byId<HTMLInputElement>('tagger-name');
  private readonly saved = byId<HTMLSelectElement>('tagger-saved');
  private readonly save = byId<HTMLButtonElement>('tagger-save');
  private readonly load = byId<HTMLButtonElement>('tagger-load');
  private readonly remove = byId<HTMLButtonElement>('tagger-delete');
  private readonly download = byId<HTMLButtonElement>('tagger-download');
  private readonly file = byId<HTMLInputElement>('tagger-file');

  constructor(
    private readonly session: TaggerSession,
    private readonly notice: TeachNotice,
  ) {
    this.save.addEventListener('click', () => void this.attempt(() => this.saveAs(this.name.value.trim())));
    this.load.addEventListener('click', () => void this.attempt(() => this.loadSaved(this.saved.value)));
    this.remove.addEventListener('click', () => void this.attempt(() => this.deleteSaved(this.saved.value)));
    this.download.addEventListener('click', () => this.downloadFile());
    byId('tagger-upload').addEventListener('click', () => this.file.click());
    this.file.addEventListener('change', () => {
      const [file] = this.file.files ?? [];
      // Cleared so choosing the same file again still fires 'change'.
      this.file.value = '';
      if (file) void this.attempt(() => this.upload(file));
    });
    void this.attempt(() => this.listSaved());
  }

  /** Saving and downloading need tags to keep. */
  render(): void {
    const empty = !this.session.tagger?.labels.length;
    this.save.disabled = empty;
    this.download.disabled = empty;
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.notice.fail(error);
    }
  }

  private async saveAs(name: string): Promise<void> {
    const tagger = this.session.tagger;
    if (!tagger) return;
    if (name === '') return this.notice.problem('Give the tagger a name to save it under.');
    await saveTagger(tagger, name);
    this.done(`Saved your tags as '${name}' in this browser.`);
    await this.listSaved(name);
  }

  private async loadSaved(name: string): Promise<void> {
    const tagger = await this.session.replace((classifier) => loadSavedTagger(classifier, name));
    this.name.value = name;
    this.done(`Loaded '${name}': ${describeLoaded(tagger)}.`);
  }

  private async deleteSaved(name: string): Promise<void> {
    if (!confirm(`Delete the tagger saved as '${name}'? This cannot be undone.`)) return;
    await deleteSavedTagger(name);
    this.done(`Deleted '${name}'.`);
    await this.listSaved();
  }

  private downloadFile(): void {
    const tagger = this.session.tagger;
    if (!tagger) return;
    const fileName = `${fileStem(this.name.value)}.tagger.json`;
    saveBlob(fileName, taggerToBlob(tagger));
    this.done(`Downloaded ${fileName}.`);
  }

  private async upload(file: File): Promise<void> {
    const tagger = await this.session.replace((classifier) => loadTaggerFile(classifier, file));
    this.done(`Loaded ${file.name}: ${describeLoaded(tagger)}.`);
  }

  /** Fills the saved list, `selected` chosen; Load and Delete only while there is something to load. */
  private async listSaved(selected?: string): Promise<void> {
    const saved = (await listSavedTaggers()).sort((a, b) => a.name.localeCompare(b.name));
    const options = saved.map((info) => h('option', { value: info.name }, describeSaved(info)));
    this.saved.replaceChildren(...(options.length ? options : [h('option', { value: '' }, 'None saved yet')]));
    if (selected !== undefined) this.saved.value = selected;
    this.saved.disabled = this.load.disabled = this.remove.disabled = saved.length === 0;
  }

  private done(text: string): void {
    this.notice.info(text);
    announce(text);
  }
}

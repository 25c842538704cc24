import { announce } from './announcer.js';
import { byId, h, plural } from './dom.js';
import type { IncomingFile } from './folder-walk.js';
import { acceptPhotosOn } from './photo-intake.js';
import { decodeForTeaching } from './teach-photos.js';
import type { TeachNotice } from './teach-notice.js';
import type { TaggerSession } from './tagger-session.js';

const skippedNote = (skipped: readonly string[]) => (skipped.length ? ` Skipped ${skipped.join(' ')}` : '');

/** "Teach a tag": a tag's name, then its photos (dropped on the panel or chosen); the tags so far with their example counts. */
export class TeachPanel {
  private readonly name = byId<HTMLInputElement>('teach-name');
  private readonly list = byId('teach-tags');

  constructor(
    private readonly session: TaggerSession,
    private readonly notice: TeachNotice,
  ) {
    acceptPhotosOn(byId('teach-dropzone'), 'teach-pick', 'teach-input', (files) => void this.teach(files));
  }

  render(): void {
    const tagger = this.session.tagger;
    const rows = (tagger?.labels ?? []).map((label) => this.row(label, tagger?.counts[label] ?? 0));
    this.list.replaceChildren(...(rows.length ? rows : [h('li', { class: 'none' }, 'No tags yet.')]));
  }

  private row(label: string, count: number): HTMLLIElement {
    const remove = h('button', { type: 'button', class: 'quiet', 'aria-label': `Remove the tag ${label}` }, 'Remove');
    remove.addEventListener('click', () => void this.remove(label));
    return h('li', { 'data-label': label, 'data-count': String(count) }, h('span', { class: 'tag-name' }, label), h('span', { class: 'count' }, plural(count, 'example')), remove);
  }

  private async teach(files: readonly IncomingFile[]): Promise<void> {
    const label = this.name.value.trim();
    if (label === '') {
      this.notice.problem('Name the tag first (for example "our cat"), then add its photos.');
      this.name.focus();
      return;
    }
    this.notice.info(`Adding ${plural(files.length, 'photo')} to '${label}'…`);
    const { images, skipped } = await decodeForTeaching(files);
    try {
      const added = await this.session.add(images, label);
      const text = `Added ${plural(images.length, 'photo')} to '${label}': ${plural(added, 'example')} with the mirrored and cropped copies.`;
      this.notice.info(text + skippedNote(skipped));
      announce(text);
    } catch (error) {
      this.notice.fail(error, { label, skipped });
    } finally {
      for (const image of images) image.close();
    }
  }

  private async remove(label: string): Promise<void> {
    try {
      await this.session.remove(label);
      this.notice.info(`Removed the tag '${label}'.`);
      announce(`Removed the tag '${label}'.`);
    } catch (error) {
      this.notice.fail(error);
    }
    // Its button is gone: keep the keyboard in the panel.
    this.name.focus();
  }
}

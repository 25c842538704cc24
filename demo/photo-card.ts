import type { Prediction, TagPrediction } from '../src/index.js';
import { h, seconds } from './dom.js';
import { renderTags } from './tag-bars.js';

/** A photo's card in the grid: thumbnail, the taught tags and the top-5 ImageNet tags with bars, timing, or the error. */
export class PhotoCard {
  readonly element: HTMLLIElement;
  private readonly thumb = h('div', { class: 'thumb' });
  private readonly status = h('p', { class: 'status' }, 'Waiting…');
  private readonly tags = h('ol', { class: 'tags' });
  private readonly customTags = h('ol', { class: 'tags', 'aria-label': 'Your tags' });
  private readonly custom = h('div', { class: 'custom-tags', 'data-testid': 'custom-tags', hidden: '' }, h('p', { class: 'caption', 'aria-hidden': 'true' }, 'Your tags'), this.customTags);
  private readonly meta = h('p', { class: 'meta' });
  private readonly score = h('span', { class: 'score' });
  private readonly similar = h('button', { type: 'button', class: 'similar', disabled: '' }, 'Find similar');
  private image: HTMLImageElement | undefined;

  constructor(
    private readonly name: string,
    fileName: string,
    onFindSimilar: () => void,
  ) {
    this.similar.setAttribute('aria-label', `Find photos similar to ${name}`);
    this.similar.addEventListener('click', onFindSimilar);
    const body = h('div', { class: 'body' }, h('p', { class: 'name', title: name }, name), this.status, this.custom, this.tags, h('p', { class: 'actions' }, this.similar, this.score), this.meta);
    this.element = h('li', { class: 'card', 'data-testid': 'result', 'data-file': fileName, 'data-status': 'queued' }, this.thumb, body);
  }

  /** Shows the photo itself; a file the browser cannot display gets a placeholder instead. */
  showThumbnail(file: Blob): void {
    const url = URL.createObjectURL(file);
    this.image = h('img', { src: url, alt: `Photo ${this.name}`, decoding: 'async' });
    this.image.addEventListener('error', () => this.placeholder('No preview'), { once: true });
    this.thumb.replaceChildren(this.image);
  }

  placeholder(text: string): void {
    this.thumb.replaceChildren(h('span', { class: 'placeholder', 'aria-hidden': 'true' }, text));
  }

  showWorking(): void {
    this.status.textContent = 'Tagging…';
  }

  showTags(predictions: readonly Prediction[], ms: number, backend: string): void {
    const [top] = predictions;
    this.element.dataset.status = 'done';
    this.element.dataset.top1Index = String(top?.index ?? '');
    this.status.textContent = '';
    renderTags(this.tags, predictions);
    this.meta.textContent = `${seconds(ms)} on ${backend}`;
    if (this.image && top) this.image.alt = `Photo ${this.name}, tagged ${top.label}`;
    this.similar.disabled = false;
  }

  /** The taught tags, best first, above the ImageNet ones; none hides them (no trained tagger). */
  showCustomTags(tags: readonly TagPrediction[] = []): void {
    const [top] = tags;
    this.custom.hidden = !top;
    if (top) this.custom.dataset.topTag = top.label;
    else delete this.custom.dataset.topTag;
    renderTags(this.customTags, tags);
  }

  /** The batch was cancelled before this photo's turn: not an error, nothing was wrong with it. */
  showCancelled(): void {
    this.element.dataset.status = 'cancelled';
    this.status.textContent = 'Cancelled';
    this.similar.hidden = true;
  }

  showError(message: string): void {
    this.element.dataset.status = 'error';
    this.element.classList.add('card-error');
    this.status.textContent = message.charAt(0).toUpperCase() + message.slice(1);
    this.similar.hidden = true;
    this.status.setAttribute('role', 'note');
  }

  /** Beside "Find similar": the cosine similarity to the reference photo, or nothing. */
  showSimilarity(similarity: number | undefined, isReference = false): void {
    this.showProgress(isReference ? 'reference photo' : similarity === undefined ? '' : `similarity ${similarity.toFixed(3)}`);
    this.element.classList.toggle('card-reference', isReference);
    if (similarity === undefined) delete this.element.dataset.similarity;
    else this.element.dataset.similarity = similarity.toFixed(4);
  }

  showProgress(text: string): void {
    this.score.textContent = text;
  }
}

import type { Prediction } from '../src/index.js';
import { h, percent } from './dom.js';

/** One row per tag: the label, a bar as long as its probability, and the percentage. */
export function renderTags(list: HTMLOListElement, predictions: readonly Prediction[]): void {
  list.replaceChildren(
    ...predictions.map((p) => {
      const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.setProperty('--p', String(p.probability));
      return h('li', { 'data-index': String(p.index) }, h('span', { class: 'label', title: p.label }, p.label), bar, h('span', { class: 'pct' }, percent(p.probability)));
    }),
  );
}

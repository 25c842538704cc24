import { h, percent } from './dom.js';

/** An ImageNet class (with its index) or a taught tag (without). */
export interface ShownTag {
  readonly label: string;
  readonly probability: number;
  readonly index?: number;
}

/** One row per tag: the label, a bar as long as its probability, and the percentage. */
export function renderTags(list: HTMLOListElement, tags: readonly ShownTag[]): void {
  list.replaceChildren(
    ...tags.map((p) => {
      const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.setProperty('--p', String(p.probability));
      // The exact probability, for checks that rounding to a percentage would blur.
      const attributes = { 'data-probability': String(p.probability), ...(p.index !== undefined && { 'data-index': String(p.index) }) };
      return h('li', attributes, h('span', { class: 'label', title: p.label }, p.label), bar, h('span', { class: 'pct' }, percent(p.probability)));
    }),
  );
}

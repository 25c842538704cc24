/** The element with `id`; the page's markup is fixed, so a missing one is a bug worth failing loudly on. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the demo page has no #${id}`);
  return element as T;
}

/** A new element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Decimal megabytes, as download tools show them. */
export function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** "1 photo", "3 photos". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function percent(probability: number): string {
  return `${(probability * 100).toFixed(probability < 0.1 ? 1 : 0)}%`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Number formats shared by the Markdown tables and the SVG chart. */

/** Milliseconds, switching to seconds where milliseconds get long. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
}

export function formatRate(imagesPerSecond: number): string {
  if (!Number.isFinite(imagesPerSecond)) return '–';
  return imagesPerSecond >= 10 ? `${imagesPerSecond.toFixed(0)} img/s` : `${imagesPerSecond.toFixed(2)} img/s`;
}

export function formatMB(mb: number | undefined): string {
  return mb === undefined || !Number.isFinite(mb) ? '–' : `${mb.toFixed(0)} MB`;
}

/** A Markdown table; cells are escaped so a '|' in a value cannot break the row. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

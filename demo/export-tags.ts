import type { PhotoRecord } from './photo-record.js';

type Exported = Pick<PhotoRecord, 'name' | 'status' | 'predictions' | 'ms' | 'backend' | 'error'>;

/** The tags as JSON: one object per photo, in drop order. */
export function tagsToJson(records: readonly Exported[]): string {
  const photos = records.map((r) => ({
    file: r.name,
    status: r.status,
    ...(r.error !== undefined && { error: r.error }),
    ...(r.backend !== undefined && { backend: r.backend }),
    ...(r.ms !== undefined && { inferenceMs: Math.round(r.ms) }),
    tags: (r.predictions ?? []).map((p) => ({ index: p.index, label: p.label, probability: p.probability })),
  }));
  return `${JSON.stringify({ photos }, null, 2)}\n`;
}

/** RFC 4180 quoting: ImageNet labels such as "tabby, tabby cat" contain commas. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The tags as CSV: one row per photo and tag (rank 1–5); a photo without tags gets one row with its error. */
export function tagsToCsv(records: readonly Exported[]): string {
  const rows: (string | number)[][] = [['file', 'status', 'rank', 'class_index', 'label', 'probability', 'error']];
  for (const r of records) {
    const tags = r.predictions ?? [];
    if (tags.length === 0) rows.push([r.name, r.status, '', '', '', '', r.error ?? '']);
    tags.forEach((p, i) => rows.push([r.name, r.status, i + 1, p.index, p.label, p.probability.toFixed(6), '']));
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Hands `text` to the browser as a download; the data never leaves the page. */
export function saveText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  // The download reads the URL asynchronously; revoke it only once that has surely happened.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

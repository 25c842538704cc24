import type { PhotoRecord } from './photo-record.js';

type Exported = Pick<PhotoRecord, 'name' | 'status' | 'predictions' | 'customTags' | 'ms' | 'backend' | 'error'>;

/** The tags as JSON: one object per photo, in drop order; `customTags` while a trained tagger is loaded. */
export function tagsToJson(records: readonly Exported[]): string {
  const photos = records.map((r) => ({
    file: r.name,
    status: r.status,
    ...(r.error !== undefined && { error: r.error }),
    ...(r.backend !== undefined && { backend: r.backend }),
    ...(r.ms !== undefined && { inferenceMs: Math.round(r.ms) }),
    tags: (r.predictions ?? []).map((p) => ({ index: p.index, label: p.label, probability: p.probability })),
    ...(r.customTags !== undefined && { customTags: r.customTags.map((t) => ({ label: t.label, probability: t.probability })) }),
  }));
  return `${JSON.stringify({ photos }, null, 2)}\n`;
}

/** RFC 4180 quoting: ImageNet labels such as "tabby, tabby cat" contain commas. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The tags as CSV: one row per photo and tag, the ImageNet ones (source "imagenet", rank 1–5)
 * then the taught ones (source "custom", no class index); a photo without tags gets one row with its error.
 */
export function tagsToCsv(records: readonly Exported[]): string {
  const rows: (string | number)[][] = [['file', 'status', 'source', 'rank', 'class_index', 'label', 'probability', 'error']];
  for (const r of records) {
    const tags = r.predictions ?? [];
    if (tags.length === 0) rows.push([r.name, r.status, '', '', '', '', '', r.error ?? '']);
    tags.forEach((p, i) => rows.push([r.name, r.status, 'imagenet', i + 1, p.index, p.label, p.probability.toFixed(6), '']));
    (r.customTags ?? []).forEach((t, i) => rows.push([r.name, r.status, 'custom', i + 1, '', t.label, t.probability.toFixed(6), '']));
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Hands `blob` to the browser as a download; the data never leaves the page. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  // The download reads the URL asynchronously; revoke it only once that has surely happened.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function saveText(fileName: string, text: string, type: string): void {
  saveBlob(fileName, new Blob([text], { type }));
}

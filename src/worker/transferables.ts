function collect(value: unknown, found: Set<ArrayBuffer>): void {
  if (ArrayBuffer.isView(value)) {
    // A SharedArrayBuffer is shared anyway and cannot be transferred.
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collect(item, found);
  }
}

/**
 * The ArrayBuffers under the typed arrays of a result (logits, embeddings, feature maps), each
 * once (listing a buffer twice makes postMessage throw): moving them beats copying megabytes.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  collect(value, found);
  return [...found];
}

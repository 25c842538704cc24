/**
 * Float32 arrays as base64 of their little-endian bytes: a quarter of the size of JSON numbers,
 * and bit-exact. atob/btoa exist in browsers, workers and Node alike.
 */

// String.fromCharCode(...bytes) overflows the call stack on long arrays; go in chunks.
const CHUNK = 0x8000;

export function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Throws on text that is not base64 of a whole number of float32 values. */
export function base64ToFloat32(text: string): Float32Array {
  const binary = atob(text);
  if (binary.length % 4 !== 0) throw new Error(`${binary.length} bytes is not a whole number of float32 values`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

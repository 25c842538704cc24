/**
 * Reads an image's format and size from its first bytes, without decoding it: the demo refuses a
 * 12000×12000 photo before the browser spends half a gigabyte decoding it, and calls a text file
 * "not an image" instead of "corrupt".
 */
export interface ImageInfo {
  readonly format: 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp' | 'avif' | 'heic';
  /** Unknown (undefined) where the header does not say or lies beyond the bytes read. */
  readonly width?: number;
  readonly height?: number;
}

/** Enough for the JPEG size marker behind a typical EXIF/ICC block. */
export const HEADER_BYTES = 512 * 1024;

const ascii = (bytes: Uint8Array, start: number, length: number): string => String.fromCharCode(...bytes.subarray(start, start + length));

function sized(format: ImageInfo['format'], width: number, height: number): ImageInfo {
  return { format, width, height };
}

function png(view: DataView): ImageInfo {
  return view.byteLength >= 24 ? sized('png', view.getUint32(16), view.getUint32(20)) : { format: 'png' };
}

function gif(view: DataView): ImageInfo {
  return sized('gif', view.getUint16(6, true), view.getUint16(8, true));
}

function bmp(view: DataView): ImageInfo {
  return view.byteLength >= 26 ? sized('bmp', Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true))) : { format: 'bmp' };
}

const uint24 = (bytes: Uint8Array, at: number): number => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);

function webp(bytes: Uint8Array, view: DataView): ImageInfo {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ' && bytes.length >= 30) return sized('webp', view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  if (chunk === 'VP8X' && bytes.length >= 30) return sized('webp', 1 + uint24(bytes, 24), 1 + uint24(bytes, 27));
  if (chunk === 'VP8L' && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return sized('webp', 1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff));
  }
  return { format: 'webp' };
}

/** Start-of-frame markers (baseline, progressive, …): every 0xC0–0xCF except DHT, JPG and DAC. */
const isStartOfFrame = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpeg(bytes: Uint8Array, view: DataView): ImageInfo {
  let at = 2;
  while (at + 9 <= bytes.length) {
    if (bytes[at] !== 0xff) return { format: 'jpeg' };
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) at += 1; // fill byte
    else if (isStartOfFrame(marker)) return sized('jpeg', view.getUint16(at + 7), view.getUint16(at + 5));
    else if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) at += 2; // no length field
    else at += 2 + view.getUint16(at + 2);
  }
  return { format: 'jpeg' };
}

const HEIF_BRANDS: Record<string, ImageInfo['format']> = { avif: 'avif', avis: 'avif', heic: 'heic', heix: 'heic', mif1: 'heic' };

/** The format and, where the header gives it, the size; undefined for anything that is not an image. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return png(view);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes, view);
  if (bytes.length >= 10 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return gif(view);
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webp(bytes, view);
  if (bytes.length >= 2 && ascii(bytes, 0, 2) === 'BM') return bmp(view);
  const brand = bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp' ? HEIF_BRANDS[ascii(bytes, 8, 4)] : undefined;
  return brand ? { format: brand } : undefined;
}

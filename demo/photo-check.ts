import { HEADER_BYTES, readImageInfo } from './image-header.js';

const megapixels = (pixels: number): string => `${(pixels / 1e6).toFixed(0)} MP`;

/** Why `file` cannot be tagged before anything decodes it, or undefined when it may be tried. */
export async function rejectBeforeDecoding(file: Blob, maxPixels: number): Promise<string | undefined> {
  const info = readImageInfo(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
  if (!info) return `Not an image (${file.type || 'unknown type'}). Drop JPEG, PNG, GIF, WebP, BMP or AVIF photos.`;
  const { width = 0, height = 0 } = info;
  if (width * height > maxPixels) {
    return `Too large: ${width}×${height} is ${megapixels(width * height)}, over the ${megapixels(maxPixels)} limit. Downscale it first.`;
  }
  return undefined;
}

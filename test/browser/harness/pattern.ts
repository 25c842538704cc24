/** A deterministic, opaque test image: the same bytes in the page and in a worker, whatever the rasteriser. */
export function patternPixels(width: number, height: number, seed: number): ImageData {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 3 + seed * 50) % 256;
      data[i + 1] = (y * 5 + x * seed) % 256;
      data[i + 2] = ((x ^ y) * (seed + 1)) % 256;
      data[i + 3] = 255;
    }
  }
  return new ImageData(data, width, height);
}

/** Where and how one altered copy of a photo is taken (see photoVariants, photoVariantFiles). */
export interface Shot {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
  readonly mirror: boolean;
  /** Pixel values are multiplied by this (then clipped). */
  readonly brightness: number;
}

/**
 * As a photographer's repeat shots would differ: a crop of 60–100% of each side at a random place,
 * mirrored half the time, 15% darker to 15% brighter. `random` is seeded, so runs repeat.
 */
export function drawShot(random: () => number, height: number, width: number): Shot {
  const scale = 0.6 + 0.4 * random();
  const [h, w] = [Math.round(height * scale), Math.round(width * scale)];
  return { top: Math.floor(random() * (height - h + 1)), left: Math.floor(random() * (width - w + 1)), height: h, width: w, mirror: random() < 0.5, brightness: 0.85 + 0.3 * random() };
}

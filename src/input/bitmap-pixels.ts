import * as tf from '@tensorflow/tfjs-core';

/** Where each of R, G, B sits in a packed 4-byte pixel of these VideoFrame formats. */
const RGB_OFFSETS: Readonly<Record<string, readonly [number, number, number]>> = {
  RGBA: [0, 1, 2],
  RGBX: [0, 1, 2],
  BGRA: [2, 1, 0],
  BGRX: [2, 1, 0],
};

/** WebCodecs' orientation fields, newer than the DOM typings. */
function isOriented(frame: VideoFrame): boolean {
  const { rotation = 0, flip = false } = frame as VideoFrame & { readonly rotation?: number; readonly flip?: boolean };
  return rotation !== 0 || flip || frame.codedWidth !== frame.displayWidth || frame.codedHeight !== frame.displayHeight;
}

/** Backends whose fromPixels uploads a bitmap to a texture as stored (not through a 2D canvas). */
const TEXTURE_UPLOAD_BACKENDS = ['webgl', 'webgpu'];

/**
 * The bitmap's stored colour, read through WebCodecs: a VideoFrame copies an unpremultiplied
 * bitmap's bytes as they are, where a 2D canvas (TF.js's read on WASM and CPU) would premultiply
 * them and move semi-transparent pixels by up to 198 levels. Undefined where WebCodecs is missing,
 * the frame has a layout other than packed 8-bit RGB(A), or it is oriented.
 */
async function storedRgb(bitmap: ImageBitmap): Promise<tf.Tensor3D | undefined> {
  if (typeof VideoFrame !== 'function') return undefined;
  const frame = new VideoFrame(bitmap, { timestamp: 0 });
  try {
    const offsets = frame.format ? RGB_OFFSETS[frame.format] : undefined;
    // An EXIF-oriented bitmap gives a frame of the stored pixels plus a rotation/flip to apply;
    // such photos are JPEGs, opaque, so the 2D canvas (which applies it) reads them exactly.
    if (!offsets || isOriented(frame)) return undefined;
    const bytes = new Uint8Array(frame.allocationSize());
    const [plane] = await frame.copyTo(bytes);
    const { displayWidth: width, displayHeight: height } = frame;
    return tf.tensor3d(packRgb(bytes, width, height, plane?.stride ?? width * 4, offsets), [height, width, 3], 'int32');
  } finally {
    frame.close();
  }
}

function packRgb(bytes: Uint8Array, width: number, height: number, stride: number, [r, g, b]: readonly [number, number, number]): Int32Array {
  const rgb = new Int32Array(width * height * 3);
  for (let y = 0, out = 0; y < height; y++) {
    for (let x = 0, at = y * stride; x < width; x++, at += 4, out += 3) {
      rgb[out] = bytes[at + r] as number;
      rgb[out + 1] = bytes[at + g] as number;
      rgb[out + 2] = bytes[at + b] as number;
    }
  }
  return rgb;
}

/**
 * An RGB int32 tensor [height, width, 3] of the bitmap's stored colour, alpha dropped. GPU backends
 * upload the bitmap as it is; elsewhere WebCodecs reads it (see storedRgb), and only where that is
 * missing does TF.js's 2D-canvas read remain.
 */
export async function bitmapPixels(bitmap: ImageBitmap): Promise<tf.Tensor3D> {
  if (TEXTURE_UPLOAD_BACKENDS.includes(tf.getBackend())) return tf.browser.fromPixels(bitmap, 3);
  return (await storedRgb(bitmap)) ?? tf.browser.fromPixels(bitmap, 3);
}

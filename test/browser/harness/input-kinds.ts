/** Every kind of image the SDK accepts, as the browser tests name them. */
export const INPUT_KINDS = [
  'HTMLImageElement',
  'HTMLCanvasElement',
  'OffscreenCanvas',
  'ImageBitmap',
  'ImageData',
  'HTMLVideoElement',
  'VideoFrame',
  'Blob',
  'File',
  'URL string',
  'tf.Tensor3D',
] as const;

export type InputKind = (typeof INPUT_KINDS)[number];

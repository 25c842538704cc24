// Page-side helpers for the SDK's browser tests (test/browser/*.test.ts): classifiers stay in the
// page between page.evaluate calls, and only plain data (arrays, codes) crosses back to Node.
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier, type BackendReport, type Classifier, type ImageInput, type LoadOptions, type LoadProgress, type LoadTimings } from 'inception-webgpu';
import type { InputKind } from './input-kinds.js';
import { PAGE_PATHS } from './page-paths.js';

export interface LoadSummary {
  readonly backendReport: BackendReport;
  readonly timings: LoadTimings;
  readonly progress: LoadProgress[];
}

/** An error as plain data: page.evaluate keeps only an Error's message, not its `code`. */
export interface CodedError {
  readonly code: unknown;
  readonly message: string;
}

const classifiers = new Map<string, Classifier>();

/** Loads the synthetic model (unless options say otherwise) and keeps the classifier as `name`. */
async function load(name: string, options: Partial<LoadOptions> = {}): Promise<LoadSummary> {
  const progress: LoadProgress[] = [];
  const loaded = await loadClassifier({ modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, onProgress: (p) => progress.push(p), ...options });
  classifiers.get(name)?.dispose();
  classifiers.set(name, loaded);
  return { backendReport: loaded.backendReport, timings: loaded.timings, progress };
}

function classifier(name: string): Classifier {
  const found = classifiers.get(name);
  if (!found) throw new Error(`no classifier '${name}' was loaded in this page`);
  return found;
}

async function logits(name: string, images: readonly ImageInput[]): Promise<number[][]> {
  return (await classifier(name).logits(images)).map((row) => Array.from(row));
}

async function errorOf(work: () => unknown): Promise<CodedError | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: error instanceof Error ? error.message : String(error) };
  }
}

let seedABytes: Promise<Uint8Array> | undefined;

/** seedA image `index` (the input of PyTorch's reference logits) as opaque 299×299 ImageData. */
async function seedA(index: number): Promise<ImageData> {
  const size = 299;
  seedABytes ??= fetch(`${PAGE_PATHS.seedA}images_u8_nhwc_4x299x299x3.bin`).then(async (r) => new Uint8Array(await r.arrayBuffer()));
  const rgb = (await seedABytes).subarray(index * size * size * 3, (index + 1) * size * size * 3);
  const rgba = new Uint8ClampedArray(size * size * 4).fill(255);
  for (let p = 0; p < size * size; p++) rgba.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
  return new ImageData(rgba, size, size);
}

interface Picture {
  readonly url: string;
  readonly blob: Blob;
  /** Decoded as the SDK decodes a Blob, so every kind below starts from the same pixels. */
  readonly bitmap: ImageBitmap;
  readonly canvas: HTMLCanvasElement;
}

async function picture(url: string): Promise<Picture> {
  const blob = await (await fetch(url)).blob();
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [bitmap.width, bitmap.height];
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  return { url, blob, bitmap, canvas };
}

/** A playing <video> of the canvas: canvas.captureStream() only emits a frame when the canvas is painted. */
async function videoOf({ canvas, bitmap }: Picture): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = canvas.captureStream();
  const repaint = setInterval(() => canvas.getContext('2d')?.drawImage(bitmap, 0, 0), 20);
  try {
    await video.play();
  } finally {
    clearInterval(repaint);
  }
  return video;
}

const MAKERS: Record<InputKind, (p: Picture) => ImageInput | Promise<ImageInput>> = {
  HTMLImageElement: async ({ url }) => {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  },
  HTMLCanvasElement: ({ canvas }) => canvas,
  OffscreenCanvas: ({ bitmap }) => {
    const offscreen = new OffscreenCanvas(bitmap.width, bitmap.height);
    offscreen.getContext('2d')?.drawImage(bitmap, 0, 0);
    return offscreen;
  },
  ImageBitmap: ({ bitmap }) => bitmap,
  ImageData: ({ bitmap }) => imageDataOf(bitmap),
  HTMLVideoElement: videoOf,
  VideoFrame: ({ canvas }) => new VideoFrame(canvas, { timestamp: 0 }),
  Blob: ({ blob }) => blob,
  File: ({ blob, url }) => new File([blob], url.split('/').pop() ?? 'image', { type: blob.type }),
  'URL string': ({ url }) => url,
  // RGBA, so the SDK's 4-channel tensor path (alpha dropped) is the one exercised.
  'tf.Tensor3D': ({ bitmap }) => tf.tensor3d(Int32Array.from(imageDataOf(bitmap).data), [bitmap.height, bitmap.width, 4], 'int32'),
};

function imageDataOf(bitmap: ImageBitmap): ImageData {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas context');
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Frees what an input holds on to: tensors, frames, bitmaps, media streams. */
function release(input: ImageInput): void {
  if (input instanceof tf.Tensor) input.dispose();
  else if (input instanceof VideoFrame || input instanceof ImageBitmap) input.close();
  else if (input instanceof HTMLVideoElement) (input.srcObject as MediaStream).getTracks().forEach((track) => track.stop());
}

/** The logits of the picture at `url`, handed to the classifier as `kind`. */
async function logitsOf(name: string, kind: InputKind, url: string): Promise<number[]> {
  const source = await picture(url);
  const input = await MAKERS[kind](source);
  try {
    const [row = []] = await logits(name, [input]);
    return row;
  } finally {
    release(input);
    source.bitmap.close();
  }
}

/** XNNPACK's thread count in the WASM backend (the module is the SDK's own lazily loaded chunk). */
async function wasmThreads(): Promise<number> {
  return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
}

export const sdkFixtures = { load, classifier, logits, logitsOf, errorOf, seedA, wasmThreads };

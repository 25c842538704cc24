// Page-side helpers for the SDK's browser tests (test/browser/*.test.ts): classifiers stay in the
// page between page.evaluate calls, and only plain data (arrays, codes) crosses back to Node.
import * as tf from '@tensorflow/tfjs-core';
import { toPixelTensor } from '../../../src/input/image-input.js';
import { loadClassifier, loadWorkerClassifier, type BackendReport, type Classifier, type ImageInput, type LoadOptions, type LoadProgress, type LoadTimings } from 'inception-webgpu';
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
  /** The file's own pixels, decoded as PIL decodes them (no colour management, alpha kept apart). */
  readonly bitmap: ImageBitmap;
  /** The bitmap drawn into a canvas, which (as every canvas) stores colour premultiplied by alpha. */
  readonly canvas: HTMLCanvasElement;
}

const FILE_PIXELS: ImageBitmapOptions = { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' };

async function picture(url: string): Promise<Picture> {
  const blob = await (await fetch(url)).blob();
  const bitmap = await createImageBitmap(blob, FILE_PIXELS);
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

/** An <img> in the page, shown 120 px wide by CSS: the SDK must still read its natural pixels. */
async function cssSizedImage(url: string): Promise<HTMLImageElement> {
  const image = document.createElement('img');
  image.style.width = '120px';
  image.src = url;
  document.body.append(image);
  await image.decode();
  return image;
}

const MAKERS: Record<InputKind, (p: Picture) => ImageInput | Promise<ImageInput>> = {
  HTMLImageElement: ({ url }) => cssSizedImage(url),
  HTMLCanvasElement: ({ canvas }) => canvas,
  OffscreenCanvas: ({ bitmap }) => {
    const offscreen = new OffscreenCanvas(bitmap.width, bitmap.height);
    offscreen.getContext('2d')?.drawImage(bitmap, 0, 0);
    return offscreen;
  },
  ImageBitmap: ({ bitmap }) => bitmap,
  ImageData: async ({ bitmap }) => new ImageData(await rgbaOf(bitmap), bitmap.width, bitmap.height),
  HTMLVideoElement: videoOf,
  VideoFrame: ({ bitmap }) => new VideoFrame(bitmap, { timestamp: 0 }),
  Blob: ({ blob }) => blob,
  File: ({ blob, url }) => new File([blob], url.split('/').pop() ?? 'image', { type: blob.type }),
  'URL string': ({ url }) => url,
  // RGBA, so the SDK's 4-channel tensor path (alpha dropped) is the one exercised.
  'tf.Tensor3D': async ({ bitmap }) => tf.tensor3d(Int32Array.from(await rgbaOf(bitmap)), [bitmap.height, bitmap.width, 4], 'int32'),
};

/** The bitmap's unpremultiplied RGBA bytes, copied through a VideoFrame (a canvas would premultiply them). */
async function rgbaOf(bitmap: ImageBitmap): Promise<Uint8ClampedArray<ArrayBuffer>> {
  const frame = new VideoFrame(bitmap, { timestamp: 0 });
  try {
    const format = frame.format ?? '';
    if (!['RGBA', 'RGBX', 'BGRA', 'BGRX'].includes(format)) throw new Error(`unexpected VideoFrame format ${format}`);
    const bytes = new Uint8ClampedArray(bitmap.width * bitmap.height * 4);
    await frame.copyTo(bytes);
    for (let i = 0; i < bytes.length; i += 4) {
      if (format.startsWith('BGR')) [bytes[i], bytes[i + 2]] = [bytes[i + 2] as number, bytes[i] as number];
      // X: the fourth byte is undefined, the picture opaque.
      if (format.endsWith('X')) bytes[i + 3] = 255;
    }
    return bytes;
  } finally {
    frame.close();
  }
}

/** Frees what an input holds on to: tensors, frames, bitmaps, media streams, elements. */
function release(input: ImageInput): void {
  if (input instanceof tf.Tensor) input.dispose();
  else if (input instanceof VideoFrame || input instanceof ImageBitmap) input.close();
  else if (input instanceof HTMLVideoElement) (input.srcObject as MediaStream).getTracks().forEach((track) => track.stop());
  else if (input instanceof HTMLImageElement) input.remove();
}

async function withInput<T>(kind: InputKind, url: string, use: (input: ImageInput, source: Picture) => Promise<T>): Promise<T> {
  const source = await picture(url);
  const input = await MAKERS[kind](source);
  try {
    return await use(input, source);
  } finally {
    release(input);
    source.bitmap.close();
  }
}

/** The logits of the picture at `url`, handed to the classifier as `kind`. */
function logitsOf(name: string, kind: InputKind, url: string): Promise<number[]> {
  return withInput(kind, url, async (input) => {
    const [row = []] = await logits(name, [input]);
    return row;
  });
}

/**
 * How far the pixels the SDK reads from `kind` are from those it reads from the file itself (a
 * Blob), on the active backend: [height, width] of each and the largest difference.
 */
async function pixelDiff(kind: InputKind, url: string): Promise<{ shape: number[]; fileShape: number[]; maxDiff: number }> {
  return withInput(kind, url, async (input, { blob }) => {
    const [got, file] = [await toPixelTensor(input, Number.POSITIVE_INFINITY), await toPixelTensor(blob, Number.POSITIVE_INFINITY)];
    try {
      const same = got.shape.join() === file.shape.join();
      const maxDiff = same ? (await tf.max(tf.abs(tf.sub(tf.cast(got, 'float32'), tf.cast(file, 'float32')))).data())[0] ?? NaN : NaN;
      return { shape: got.shape.slice(0, 2), fileShape: file.shape.slice(0, 2), maxDiff };
    } finally {
      tf.dispose([got, file]);
    }
  });
}

/** Loads the synthetic model into a Web Worker (loadWorkerClassifier) and keeps it as `name`. */
async function loadWorker(name: string, options: Partial<LoadOptions> = {}): Promise<BackendReport> {
  const loaded = await loadWorkerClassifier({ modelUrl: PAGE_PATHS.model, wasmPaths: PAGE_PATHS.wasm, ...options });
  classifiers.get(name)?.dispose();
  classifiers.set(name, loaded);
  return loaded.backendReport;
}

/** XNNPACK's thread count in the WASM backend (the module is the SDK's own lazily loaded chunk). */
async function wasmThreads(): Promise<number> {
  return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
}

export const sdkFixtures = { load, loadWorker, classifier, logits, logitsOf, pixelDiff, errorOf, seedA, wasmThreads };

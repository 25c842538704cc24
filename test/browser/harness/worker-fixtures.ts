// Page-side helpers for test/browser/worker.test.ts, bundled by Vite like an app's own code (so
// no test code has to be serialised into the page).
import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError, type Classifier, type ImageInput } from 'inception-webgpu';
import { patternPixels } from './pattern.js';

function patternCanvas(pixels: ImageData): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [pixels.width, pixels.height];
  canvas.getContext('2d')?.putImageData(pixels, 0, 0);
  return canvas;
}

/** The pattern as every input type the page has; all hold the same pixels. */
async function pageInputs(pixels: ImageData): Promise<Record<string, ImageInput>> {
  const canvas = patternCanvas(pixels);
  const offscreen = new OffscreenCanvas(pixels.width, pixels.height);
  offscreen.getContext('2d')?.putImageData(pixels, 0, 0);
  const blob = await offscreen.convertToBlob({ type: 'image/png' });
  const image = new Image();
  image.src = URL.createObjectURL(blob);
  await image.decode();
  return {
    canvas,
    image,
    imageData: pixels,
    imageBitmap: await createImageBitmap(canvas),
    blob,
    url: image.src,
    offscreenCanvas: offscreen,
    videoFrame: new VideoFrame(canvas, { timestamp: 0 }),
    tensor: tf.tensor3d(Int32Array.from(pixels.data), [pixels.height, pixels.width, 4], 'int32'),
  };
}

interface Heartbeat {
  /** Longest wait between setTimeout(0) callbacks: includes time the OS gave the main thread no core. */
  readonly timerMaxGapMs: number;
  readonly frameMaxGapMs: number;
  readonly frames: number;
  /** Durations of the main thread's long tasks (≥ 50 ms): the browser's own measure of a blocked page. */
  readonly longTasksMs: number[];
  readonly workMs: number;
}

/** How the page's main thread fared while `work` ran. */
async function heartbeat(work: () => Promise<unknown>): Promise<Heartbeat> {
  let running = true;
  let timerLast = performance.now();
  let timerMaxGapMs = 0;
  const tick = () => {
    const now = performance.now();
    timerMaxGapMs = Math.max(timerMaxGapMs, now - timerLast);
    timerLast = now;
    if (running) setTimeout(tick, 0);
  };
  let frameLast = performance.now();
  let frameMaxGapMs = 0;
  let frames = 0;
  const frame = (now: number) => {
    frameMaxGapMs = Math.max(frameMaxGapMs, now - frameLast);
    frameLast = now;
    frames++;
    if (running) requestAnimationFrame(frame);
  };
  const longTasksMs: number[] = [];
  const record = (entries: PerformanceEntryList) => longTasksMs.push(...entries.map((entry) => Math.round(entry.duration)));
  const longTasks = new PerformanceObserver((list) => record(list.getEntries()));
  longTasks.observe({ type: 'longtask' });
  setTimeout(tick, 0);
  requestAnimationFrame(frame);
  const start = performance.now();
  await work();
  const end = performance.now();
  running = false;
  // Long-task entries are queued after their task ends; let that happen before collecting them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  record(longTasks.takeRecords());
  longTasks.disconnect();
  // A page blocked for the whole call ran no callback at all: count the gap up to the end.
  return { timerMaxGapMs: Math.max(timerMaxGapMs, end - timerLast), frameMaxGapMs: Math.max(frameMaxGapMs, end - frameLast), frames, longTasksMs, workMs: end - start };
}

/** How a call failed, as plain data for the test. */
async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string; isRuntimeError: boolean } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return { code: (error as RuntimeError).code, message: (error as Error).message, isRuntimeError: error instanceof RuntimeError };
  }
}

/** A worker that answers the load request and then dies with an uncaught error on the first call. */
function crashingWorker(): Worker {
  const script = `onmessage = ({ data }) => {
    if (data.type !== 'load') return setTimeout(() => { throw new Error('boom'); });
    postMessage({ type: 'result', id: data.id, value: { backendReport: { backend: 'cpu', skipped: [] }, metadata: { labels: [] }, timings: {} } });
  };`;
  return new Worker(URL.createObjectURL(new Blob([script], { type: 'text/javascript' })));
}

/** Counts terminate() calls on a worker. */
function countTerminations(worker: Worker): Worker & { terminated: number } {
  const terminate = worker.terminate.bind(worker);
  return Object.assign(worker, {
    terminated: 0,
    terminate() {
      (worker as Worker & { terminated: number }).terminated++;
      terminate();
    },
  });
}

export const workerFixtures = {
  /** A worker whose script is the user's own, calling exposeClassifier(). */
  customWorker: () => new Worker(new URL('./custom-worker.ts', import.meta.url), { type: 'module' }),
  /** A worker that uses loadClassifier() directly; post it { options, width, height, seed }. */
  plainApiWorker: () => new Worker(new URL('./plain-api-worker.ts', import.meta.url), { type: 'module' }),
  crashingWorker,
  countTerminations,
  patternPixels,
  patternCanvas,
  pageInputs,
  heartbeat,
  errorOf,
  /** Classifiers kept between page.evaluate calls. */
  classifiers: {} as Record<string, Classifier>,
};

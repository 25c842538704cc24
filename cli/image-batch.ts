import * as tf from '@tensorflow/tfjs-core';
import {
  decodeImage,
  decodeRgb,
  isInceptionError,
  LOAD_DEFAULTS,
  loadClassifier,
  resizeRowsAndCenterCrop,
  RuntimeError,
  type Classifier,
  type InceptionError,
  type PreprocessOptions,
} from '../src/node/index.js';
import type { ImageCommandArgs } from './image-args.js';
import type { ProgressStream } from './progress-bar.js';

/** Images per forward pass: batching amortises per-call overhead; 8 keeps memory modest. */
export const BATCH_SIZE = 8;
/** Pixels per strip of a decoded image turned into a tensor at a time (16 MB as int32 RGB). */
const STRIP_PIXELS = 1_400_000;

/** Decodes (and crops) one file, or returns why it could not: see prepareFile. */
export type PrepareFile = (file: string) => Promise<tf.Tensor3D | InceptionError>;

/** Runs the model over the files: one outcome per file, in order, as they come. */
export type FileRunner<T> = (classifier: Classifier, files: readonly string[], prepare: PrepareFile, progress: ProgressStream | undefined) => AsyncIterable<Outcome<T>>;

/** How `classify` or `embed` runs the model and presents one file's result. */
export interface ImageCommand<T> {
  /** Runs once, after the model loads and before any file: a throw here fails the whole command. */
  prepare?(classifier: Classifier): void;
  /** classifyMany (classify) or batched calls (embed: classifyMany has no embedding-only mode). */
  run: FileRunner<T>;
  /** The result as readable text (ending in a newline). */
  format(file: string, result: T): string;
  /** The result's fields in the file's --json entry. */
  toJson(result: T): Record<string, unknown>;
}

export type Outcome<T> = { file: string; value: T } | { file: string; error: InceptionError };

/** Whatever went wrong with one file is that file's error: the batch goes on without it. */
export function fileError(error: unknown, file: string, code: 'E_DECODE_FAILED' | 'E_INVALID_INPUT'): InceptionError {
  if (isInceptionError(error)) return error;
  const what = code === 'E_DECODE_FAILED' ? 'could not decode' : 'the model could not run on';
  return new RuntimeError(code, `${what} ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Runs `infer` on prepared images; a failed batch is rerun one image at a time to pin the error on its file. */
async function inferBatch<T>(classifier: Classifier, files: string[], images: tf.Tensor3D[], infer: (classifier: Classifier, images: tf.Tensor3D[]) => Promise<T[]>): Promise<Outcome<T>[]> {
  try {
    const values = await infer(classifier, images);
    return files.map((file, i) => ({ file, value: values[i] as T }));
  } catch (error) {
    if (files.length === 1) return [{ file: files[0] as string, error: fileError(error, files[0] as string, 'E_INVALID_INPUT') }];
    const outcomes: Outcome<T>[] = [];
    for (const [i, file] of files.entries()) outcomes.push(...(await inferBatch(classifier, [file], [images[i] as tf.Tensor3D], infer)));
    return outcomes;
  }
}

/**
 * Decodes one file and, with torchvision preprocessing, resizes and crops it from its RGB bytes a
 * strip of rows at a time: a 49 MP photo never exists as one 600 MB int32 tensor, and a batch
 * holds only 299×299 crops. A failure is that file's outcome, not the batch's.
 */
async function prepareFile(file: string, crop: PreprocessOptions | undefined): Promise<tf.Tensor3D | InceptionError> {
  try {
    if (!crop) return await decodeImage(file);
    const { rgb, width, height } = await decodeRgb(file, LOAD_DEFAULTS.maxPixels);
    const rows = (first: number, count: number) =>
      tf.tensor3d(new Int32Array(rgb.subarray(first * width * 3, (first + count) * width * 3)), [count, width, 3], 'int32');
    return resizeRowsAndCenterCrop(width, height, crop, rows, Math.max(1, Math.floor(STRIP_PIXELS / width)));
  } catch (error) {
    return fileError(error, file, 'E_DECODE_FAILED');
  }
}

/** A FileRunner that prepares and runs the files BATCH_SIZE at a time through `infer`. */
export function batchedFiles<T>(infer: (classifier: Classifier, images: tf.Tensor3D[]) => Promise<T[]>): FileRunner<T> {
  return async function* (classifier, files, prepareOne) {
    for (let start = 0; start < files.length; start += BATCH_SIZE) {
      const batch = files.slice(start, start + BATCH_SIZE);
      // One at a time: sharp tells a missing file from a corrupt one by reading libvips's global
      // error buffer, so concurrent failures can swap their errors.
      const prepared: (tf.Tensor3D | InceptionError)[] = [];
      for (const file of batch) prepared.push(await prepareOne(file));
      const good = prepared.flatMap((pixels, i) => (pixels instanceof tf.Tensor ? [{ i, pixels }] : []));
      let results: Outcome<T>[];
      try {
        results = await inferBatch(classifier, good.map((g) => batch[g.i] as string), good.map((g) => g.pixels), infer);
      } finally {
        tf.dispose(good.map((g) => g.pixels));
      }
      const byIndex = new Map(good.map((g, j) => [g.i, results[j] as Outcome<T>]));
      // The files missing from the batch failed to be prepared: their error is their outcome.
      yield* batch.map((file, i) => byIndex.get(i) ?? { file, error: prepared[i] as InceptionError });
    }
  };
}

/**
 * Loads the model and runs `command` over every file: results on stdout (as they come, or as one
 * JSON array), each failure as one stderr line naming the file. Returns 1 if any file failed.
 */
export async function runImageCommand<T>(
  args: ImageCommandArgs,
  command: ImageCommand<T>,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  // The files are cropped here, as they are read (see prepareFile), so the classifier gets 299×299 images.
  const classifier = await loadClassifier({ ...args.load, preprocess: 'none' });
  const entries: Record<string, unknown>[] = [];
  let failed = false;
  try {
    command.prepare?.(classifier);
    const { resizeShorterSide, cropSize } = classifier.metadata.preprocessing;
    const crop = args.load.preprocess === 'none' ? undefined : { resizeTo: resizeShorterSide, cropTo: cropSize };
    // A bar on a terminal's stderr, unless stdout prints the results there as they come.
    const bar = (stderr as ProgressStream).isTTY && (args.json || !(stdout as ProgressStream).isTTY) && args.files.length > 1;
    for await (const outcome of command.run(classifier, args.files, (file) => prepareFile(file, crop), bar ? stderr : undefined)) {
      if ('error' in outcome) {
        failed = true;
        const { code, message } = outcome.error;
        stderr.write(`inception-webgpu: ${outcome.file}: ${code}: ${message}\n`);
        if (args.json) entries.push({ file: outcome.file, error: { code, message } });
      } else if (args.json) {
        entries.push({ file: outcome.file, ...command.toJson(outcome.value) });
      } else {
        stdout.write(command.format(outcome.file, outcome.value));
      }
    }
  } finally {
    classifier.dispose();
  }
  if (args.json) stdout.write(`${JSON.stringify(entries)}\n`);
  return failed ? 1 : 0;
}

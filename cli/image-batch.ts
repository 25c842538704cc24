import * as tf from '@tensorflow/tfjs-core';
import { decodeImage, isInceptionError, loadClassifier, type Classifier, type InceptionError } from '../src/node/index.js';
import type { ImageCommandArgs } from './image-args.js';

/** Images per forward pass: batching amortises per-call overhead; 8 keeps memory modest. */
export const BATCH_SIZE = 8;

/** How `classify` or `embed` runs the model and presents one file's result. */
export interface ImageCommand<T> {
  /** Runs once, after the model loads and before any file: a throw here fails the whole command. */
  prepare?(classifier: Classifier): void;
  /** One result per image, in order, from a single batched call. */
  infer(classifier: Classifier, images: tf.Tensor3D[]): Promise<T[]>;
  /** The result as readable text (ending in a newline). */
  format(file: string, result: T): string;
  /** The result's fields in the file's --json entry. */
  toJson(result: T): Record<string, unknown>;
}

type Outcome<T> = { file: string; value: T } | { file: string; error: InceptionError };

/** Runs `infer` on decoded images; a failed batch is rerun one image at a time to pin the error on its file. */
async function inferBatch<T>(classifier: Classifier, files: string[], images: tf.Tensor3D[], infer: ImageCommand<T>['infer']): Promise<Outcome<T>[]> {
  try {
    const values = await infer(classifier, images);
    return files.map((file, i) => ({ file, value: values[i] as T }));
  } catch (error) {
    if (!isInceptionError(error)) throw error;
    if (files.length === 1) return [{ file: files[0] as string, error }];
    const outcomes: Outcome<T>[] = [];
    for (const [i, file] of files.entries()) outcomes.push(...(await inferBatch(classifier, [file], [images[i] as tf.Tensor3D], infer)));
    return outcomes;
  }
}

/** Decodes one file; a failure is that file's outcome, not the batch's. */
async function decode(file: string): Promise<tf.Tensor3D | InceptionError> {
  try {
    return await decodeImage(file);
  } catch (error) {
    if (isInceptionError(error)) return error;
    throw error;
  }
}

/** Decodes and runs the files BATCH_SIZE at a time, yielding one outcome per file, in order. */
async function* inferFiles<T>(classifier: Classifier, files: readonly string[], infer: ImageCommand<T>['infer']): AsyncGenerator<Outcome<T>> {
  for (let start = 0; start < files.length; start += BATCH_SIZE) {
    const batch = files.slice(start, start + BATCH_SIZE);
    // One at a time: sharp tells a missing file from a corrupt one by reading libvips's global
    // error buffer, so concurrent failures can swap their errors.
    const decoded: (tf.Tensor3D | InceptionError)[] = [];
    for (const file of batch) decoded.push(await decode(file));
    const good = decoded.flatMap((pixels, i) => (pixels instanceof tf.Tensor ? [{ i, pixels }] : []));
    let results: Outcome<T>[];
    try {
      results = await inferBatch(classifier, good.map((g) => batch[g.i] as string), good.map((g) => g.pixels), infer);
    } finally {
      tf.dispose(good.map((g) => g.pixels));
    }
    const byIndex = new Map(good.map((g, j) => [g.i, results[j] as Outcome<T>]));
    // The files missing from the batch failed to decode: their error is their outcome.
    yield* batch.map((file, i) => byIndex.get(i) ?? { file, error: decoded[i] as InceptionError });
  }
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
  const classifier = await loadClassifier(args.load);
  const entries: Record<string, unknown>[] = [];
  let failed = false;
  try {
    command.prepare?.(classifier);
    for await (const outcome of inferFiles(classifier, args.files, command.infer)) {
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

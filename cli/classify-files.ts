import * as tf from '@tensorflow/tfjs-core';
import type { ClassifyOptions, InceptionError, ManyResult } from '../src/node/index.js';
import type { FileRunner, Outcome, PrepareFile } from './image-batch.js';
import { createProgressBar } from './progress-bar.js';

export type ManySuccess = Extract<ManyResult, { ok: true }>;

/**
 * A FileRunner on classifyMany: files are prepared (decoded and cropped, see prepareFile) only as
 * classifyMany asks for the next one, so its concurrency bounds how many crops exist at once, and
 * one at a time (sharp's error reporting is not safe under concurrency). A file that could not be
 * prepared never reaches classifyMany; its error is put back in its place in the output.
 */
export function classifyFiles<T>(options: ClassifyOptions & { readonly embeddings?: boolean }, toValue: (result: ManySuccess) => T): FileRunner<T> {
  return async function* (classifier, files, prepare, progress) {
    const failures = new Map<number, InceptionError>();
    // The file index of each input classifyMany received.
    const fileOf: number[] = [];
    const bar = progress && createProgressBar({ label: 'classify', total: files.length, unit: 'images', stream: progress });
    let next = 0;
    // The files before `end` that failed to be prepared, as their outcomes.
    const failedBefore = function* (end: number): Generator<Outcome<T>> {
      for (; next < end; next++) yield { file: files[next] as string, error: failures.get(next) as InceptionError };
    };
    const onProgress = ({ done }: { done: number }) => bar?.update(done + failures.size);
    for await (const result of classifier.classifyMany(preparedInputs(files, prepare, failures, fileOf), { ...options, onProgress })) {
      const index = fileOf[result.index] as number;
      yield* failedBefore(index);
      next = index + 1;
      (result.input as tf.Tensor3D).dispose();
      yield result.ok ? { file: files[index] as string, value: toValue(result) } : { file: files[index] as string, error: result.error };
    }
    yield* failedBefore(files.length);
    bar?.finish();
  };
}

async function* preparedInputs(files: readonly string[], prepare: PrepareFile, failures: Map<number, InceptionError>, fileOf: number[]): AsyncGenerator<tf.Tensor3D> {
  for (const [index, file] of files.entries()) {
    const pixels = await prepare(file);
    if (pixels instanceof tf.Tensor) {
      fileOf.push(index);
      yield pixels;
    } else {
      failures.set(index, pixels);
    }
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConverterError } from '../errors.js';

/**
 * Runs `fill` on a fresh temporary directory next to `outDir`, then moves it into place in one
 * rename. A failure anywhere removes the temporary directory, so a half-written model never
 * appears under the requested name.
 */
export async function withAtomicDirectory<T>(outDir: string, force: boolean, fill: (dir: string) => Promise<T>): Promise<T> {
  const target = resolve(outDir);
  assertWritableTarget(target, force);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(temp);
  try {
    const result = await fill(temp);
    replaceDirectory(temp, target);
    return result;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

function assertWritableTarget(target: string, force: boolean): void {
  if (!existsSync(target) || force) return;
  if (readdirSync(target).length === 0) return;
  throw new ConverterError(
    'E_OUTPUT_EXISTS',
    `output directory ${target} already exists and is not empty; pass --force to replace it, or choose another --out`,
  );
}

/** Swaps `temp` in for `target`, keeping the old directory until the new one is in place. */
function replaceDirectory(temp: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(temp, target);
    return;
  }
  const old = `${temp}.old`;
  renameSync(target, old);
  try {
    renameSync(temp, target);
  } catch (error) {
    renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

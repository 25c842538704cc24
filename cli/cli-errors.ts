import { InceptionError } from '../src/node/index.js';

/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends InceptionError<'E_USAGE'> {
  override name = 'UsageError';

  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** One line on stderr per failure, and the exit code the CLI returns for it. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof UsageError) {
    stderr.write(`inception-webgpu: ${error.message} (see --help)\n`);
    return 2;
  }
  if (error instanceof InceptionError) {
    stderr.write(`inception-webgpu: ${error.code}: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`inception-webgpu: unexpected error: ${message}\n`);
  return 1;
}

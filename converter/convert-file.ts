import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { convertCheckpoint, type ConvertOptions, type ConvertResult } from './convert.js';
import { openCheckpoint } from './read/open-checkpoint.js';

async function sha256OfFile(path: string, onProgress?: (done: number, total: number) => void): Promise<string> {
  const total = statSync(path).size;
  const hash = createHash('sha256');
  let done = 0;
  onProgress?.(done, total);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onProgress?.(done, total);
  }
  return hash.digest('hex');
}

/** Converts a `.pth` (zip or legacy), `pytorch_model.bin` or `.safetensors` file. */
export async function convertFile(inputPath: string, options: ConvertOptions): Promise<ConvertResult> {
  const checkpoint = openCheckpoint(inputPath);
  try {
    const sha256 = await sha256OfFile(inputPath, (done, total) => options.onProgress?.('hash', done, total));
    const source = { fileName: basename(inputPath), sha256, bytes: statSync(inputPath).size, format: checkpoint.format };
    return await convertCheckpoint(checkpoint, source, options);
  } finally {
    checkpoint.close();
  }
}

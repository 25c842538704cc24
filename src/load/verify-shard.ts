import { RuntimeError } from '../../shared/errors.js';
import type { ShardRecord } from '../../shared/model-metadata.js';
import { sha256Hex } from './sha256.js';

/**
 * How `data` differs from the shard its metadata describes ("123 bytes", "SHA-256 ab12…"), or
 * undefined when it matches. The length is always checked (free); the hash only when asked.
 */
export async function shardMismatch(data: Uint8Array<ArrayBuffer>, shard: ShardRecord, checkHash: boolean): Promise<string | undefined> {
  if (data.byteLength !== shard.bytes) return `${data.byteLength} bytes`;
  if (!checkHash) return undefined;
  const found = await sha256Hex(data);
  return found === shard.sha256 ? undefined : `SHA-256 ${found}`;
}

export function integrityError(shard: ShardRecord, url: string, found: string, cause?: unknown): RuntimeError {
  return new RuntimeError(
    'E_INTEGRITY',
    `weight shard ${shard.path} from ${url} is corrupt: expected ${shard.bytes} bytes with SHA-256 ${shard.sha256}, found ${found}. ` +
      'The files on the server do not match model.json: upload the converted model directory again, as a whole.',
    { cause },
  );
}

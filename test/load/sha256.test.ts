import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Fallback, sha256Hex } from '../../src/load/sha256.js';

const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 131 + 7) & 0xff);
const nodeSha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256', () => {
  // Lengths around the 55/56/64-byte padding boundaries, plus a multi-block message.
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 100_003])('the plain-JS fallback matches node:crypto for %i bytes', (length) => {
    const data = bytes(length);
    expect(Buffer.from(sha256Fallback(data)).toString('hex')).toBe(nodeSha(data));
  });

  it('hashes a view into a larger buffer, not the whole buffer', () => {
    const view = bytes(1000).subarray(100, 300);
    expect(Buffer.from(sha256Fallback(view)).toString('hex')).toBe(nodeSha(view));
  });

  it('sha256Hex (crypto.subtle) gives lowercase hex', async () => {
    const data = bytes(5000);
    expect(await sha256Hex(data)).toBe(nodeSha(data));
  });
});

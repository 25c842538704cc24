import { describe, expect, it } from 'vitest';
import { transferablesOf } from '../../src/worker/transferables.js';

describe('transferablesOf', () => {
  it('finds the buffers of a batch of logits, a feature-map record and nothing in predictions', () => {
    const rows = [new Float32Array(4), new Float32Array(4)];
    expect(transferablesOf(rows)).toEqual(rows.map((r) => r.buffer));
    const features = { Mixed_7c: { shape: [8, 8, 2048], data: new Float32Array(8) } };
    expect(transferablesOf(features)).toEqual([features.Mixed_7c.data.buffer]);
    expect(transferablesOf([{ index: 1, label: 'a', probability: 0.5 }])).toEqual([]);
    expect(transferablesOf(undefined)).toEqual([]);
  });

  it('lists a buffer shared by two views once (postMessage throws on duplicates)', () => {
    const buffer = new ArrayBuffer(16);
    const list = transferablesOf([new Float32Array(buffer, 0, 2), new Float32Array(buffer, 8, 2)]);
    expect(list).toEqual([buffer]);
    expect(() => structuredClone(list, { transfer: list })).not.toThrow();
  });

  it('leaves SharedArrayBuffers alone (they cannot be transferred)', () => {
    expect(transferablesOf(new Float32Array(new SharedArrayBuffer(8)))).toEqual([]);
  });
});

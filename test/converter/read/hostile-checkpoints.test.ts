import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConverterError } from '../../../converter/errors.js';
import { hostileCheckpoints } from '../../../tools/fuzz/hostile-checkpoints.js';
import { readAllTensors } from '../../helpers/read-all-tensors.js';

const dir = mkdtempSync(join(tmpdir(), 'hostile-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

describe.each(hostileCheckpoints())('$name', ({ name, write, code, message }) => {
  it(`is refused with ${code} within 2 s, its peak memory growing less than 300 MiB`, () => {
    const path = join(dir, name);
    write(path);
    const peakBefore = peakRssMiB();
    const start = performance.now();
    let error: unknown;
    try {
      readAllTensors(path);
    } catch (err) {
      error = err;
    }
    const ms = performance.now() - start;
    expect(error, 'expected a ConverterError').toBeInstanceOf(ConverterError);
    expect((error as ConverterError).code, (error as Error).message).toBe(code);
    expect((error as Error).message).toContain(path);
    if (message) expect((error as Error).message).toMatch(message);
    expect((error as Error).message.length).toBeLessThan(1000);
    expect(ms).toBeLessThan(2000);
    expect(peakRssMiB() - peakBefore).toBeLessThan(300);
  });
});

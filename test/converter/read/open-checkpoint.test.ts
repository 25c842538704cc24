import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../converter/read/open-checkpoint.js';
import { writeSafetensors, writeStoredZip } from '../../../tools/checkpoints/checkpoint-writers.js';
import { PickleWriter } from '../../../tools/checkpoints/torch-pickle-writer.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/torch-written/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'open-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function expectError(path: string, code: string, message: RegExp): void {
  expect(() => openCheckpoint(path)).toThrow(
    expect.objectContaining({ code, message: expect.stringMatching(message) as string }),
  );
}

const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(name)));
const SUPPORTED = /supported formats: PyTorch .* safetensors/;

describe('openCheckpoint format detection', () => {
  it('goes by content, not by extension', () => {
    const renamed = join(dir, 'weights.safetensors');
    copyFileSync(fixture('small_legacy.pth'), renamed);
    const checkpoint = openCheckpoint(renamed);
    expect(checkpoint.format).toBe('torch-legacy');
    checkpoint.close();
  });

  it('reports a missing file as E_FILE_NOT_FOUND', () => {
    expectError(join(dir, 'nope.pth'), 'E_FILE_NOT_FOUND', /nope\.pth' does not exist/);
  });

  it.each<[string, Uint8Array | string, RegExp]>([
    ['empty.pth', new Uint8Array(0), /is empty/],
    [
      'image.png',
      Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13),
      /starts with bytes 89 50 4e 47/,
    ],
    ['saved_model.pb', Uint8Array.of(0x08, 0x01, 0x12, 0x8c, 0x03, 0x0a, 0x10, 0x0a), /not a checkpoint/],
    ['raw.pkl', new PickleWriter().op(0x4e).finish(), /not a checkpoint/],
    ['notes.txt', 'hello world, this is not a model', /not a checkpoint/],
  ])('rejects %s as E_UNSUPPORTED_FORMAT listing the supported formats', (name, bytes, message) => {
    expectError(file(name, bytes), 'E_UNSUPPORTED_FORMAT', message);
    expectError(join(dir, name), 'E_UNSUPPORTED_FORMAT', SUPPORTED);
  });

  it('rejects a directory such as a TensorFlow SavedModel', () => {
    mkdirSync(join(dir, 'saved_model'));
    expectError(join(dir, 'saved_model'), 'E_UNSUPPORTED_FORMAT', /is a directory/);
  });

  it('rejects tar-format checkpoints from PyTorch < 0.4 with a clear message', () => {
    const tar = new Uint8Array(1024);
    tar.set(Buffer.from('ustar\x0000'), 257);
    expectError(file('old.tar.pth', tar), 'E_UNSUPPORTED_FORMAT', /PyTorch < 0\.4/);
  });

  it('rejects a ZIP that is not a PyTorch checkpoint, and TorchScript archives', () => {
    writeStoredZip(join(dir, 'other.zip'), new Map([['readme.txt', new TextEncoder().encode('hi')]]));
    expectError(join(dir, 'other.zip'), 'E_UNSUPPORTED_FORMAT', /no data\.pkl \(entries: readme\.txt\)/);
    const script = new Map([
      ['m/data.pkl', new PickleWriter().op(0x4e).finish()],
      ['m/constants.pkl', new Uint8Array(1)],
    ]);
    writeStoredZip(join(dir, 'scripted.pt'), script);
    expectError(join(dir, 'scripted.pt'), 'E_UNSUPPORTED_FORMAT', /TorchScript/);
  });

  it('refuses a big-endian zip checkpoint', () => {
    const entries = new Map([
      ['a/data.pkl', new PickleWriter().op(0x7d).finish()],
      ['a/byteorder', new TextEncoder().encode('big')],
    ]);
    writeStoredZip(join(dir, 'big-endian.pth'), entries);
    expectError(join(dir, 'big-endian.pth'), 'E_UNSUPPORTED_FORMAT', /big-endian/);
  });
});

describe('openCheckpoint refuses hostile pickles', () => {
  it('refuses the os.system zip checkpoint, naming the global', () => {
    expectError(fixture('malicious.pth'), 'E_UNSAFE_PICKLE', /refusing to load 'os\.system'.*may be malicious/);
  });

  it('refuses a legacy checkpoint whose object reduces to os.system (pickled as posix.system)', () => {
    expectError(fixture('malicious_legacy.pth'), 'E_UNSAFE_PICKLE', /refusing to load 'posix\.system'/);
  });

  it('refuses a whole pickled model, suggesting state_dict()', () => {
    const p = new PickleWriter().global('torchvision.models.inception', 'Inception3').op(0x29, 0x81);
    writeStoredZip(join(dir, 'model.pth'), new Map([['model/data.pkl', p.finish()]]));
    expectError(
      join(dir, 'model.pth'),
      'E_UNSAFE_PICKLE',
      /'torchvision\.models\.inception\.Inception3'.*model\.state_dict\(\)/,
    );
  });
});

describe('openCheckpoint reports damaged files as E_CORRUPT_FILE', () => {
  it('a truncated zip checkpoint', () => {
    const bytes = fixtureBytes('small_zip.pth');
    expectError(file('half.pth', bytes.subarray(0, bytes.length >> 1)), 'E_CORRUPT_FILE', /end-of-central-directory/);
  });

  it('a zip whose local header is damaged', () => {
    const bytes = fixtureBytes('small_zip.pth').slice();
    const name = Buffer.from(bytes).indexOf('small_zip/data/0FB'); // the local header's name, then its "FB" padding
    bytes.fill(0, name - 30, name); // wipe the fixed part of that header
    const checkpoint = openCheckpoint(file('damaged.pth', bytes)); // local headers are only read with the data
    expect(() => checkpoint.tensors.get('0.weight')!.toFloat32()).toThrow(
      expect.objectContaining({
        code: 'E_CORRUPT_FILE',
        message: expect.stringMatching(/no local header for entry 'small_zip\/data\/0'/) as string,
      }),
    );
    checkpoint.close();
  });

  it('a zip whose central directory is damaged', () => {
    const bytes = fixtureBytes('small_zip.pth').slice();
    const entry = Buffer.from(bytes).indexOf('small_zip/data/0PK'); // the central entry's name, then the next one
    bytes.fill(0, entry + 16, entry + 20); // wipe the next entry's signature
    expectError(
      file('bad-directory.pth', bytes),
      'E_CORRUPT_FILE',
      /central directory entry 2 of 26 is missing or damaged/,
    );
  });

  it('a legacy checkpoint cut inside its pickles', () => {
    const bytes = fixtureBytes('small_legacy.pth');
    expectError(file('cut-pickle.pth', bytes.subarray(0, 400)), 'E_CORRUPT_FILE', /truncated: the pickle ends/);
  });

  it('a legacy checkpoint cut inside its storage data', () => {
    const bytes = fixtureBytes('small_legacy.pth');
    expectError(
      file('cut-data.pth', bytes.subarray(0, bytes.length - 5)),
      'E_CORRUPT_FILE',
      /truncated: storage \d+ of \d+ runs past the end/,
    );
  });

  it('a legacy checkpoint whose magic number is wrong is not recognised', () => {
    const bytes = fixtureBytes('small_legacy.pth').slice();
    bytes[5] = bytes[5]! ^ 0xff;
    expectError(file('bad-magic.pth', bytes), 'E_UNSUPPORTED_FORMAT', SUPPORTED);
  });
});

describe('openCheckpoint validates safetensors headers', () => {
  const tensors = new Map([['w', { dtype: 'float32' as const, shape: [2, 3], data: new Float32Array(6) }]]);
  const valid = join(dir, 'valid.safetensors');
  writeSafetensors(valid, tensors);

  /** The valid file with its header JSON replaced (same length field updated). */
  function withHeader(name: string, header: unknown, dataBytes = 24): string {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const bytes = new Uint8Array(8 + json.length + dataBytes);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    return file(name, bytes);
  }

  it('a header length longer than the file', () => {
    const bytes = new Uint8Array(readFileSync(valid));
    new DataView(bytes.buffer).setBigUint64(0, 1n << 40n, true);
    bytes[8] = 0x7b;
    expectError(file('long-header.safetensors', bytes), 'E_UNSUPPORTED_FORMAT', SUPPORTED); // not even sniffed
  });

  it.each<[string, unknown, RegExp]>([
    ['bad-json', '{"w": ', /header is not valid JSON/],
    [
      'size-mismatch',
      { w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } },
      /tensor 'w' \(\[2, 3\] F32\) needs 24 bytes, its offsets span 20/,
    ],
    [
      'past-end',
      { w: { dtype: 'F32', shape: [2, 4], data_offsets: [0, 32] } },
      /ends at byte \d+, past the end of the file/,
    ],
    ['bad-shape', { w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, /shape \[-1\], expected a list of sizes/],
    [
      'bad-offsets',
      { w: { dtype: 'F32', shape: [1], data_offsets: [4] } },
      /data_offsets \[4\], expected \[begin, end\]/,
    ],
  ])('%s', (name, header, message) => {
    const path =
      typeof header === 'string'
        ? file(`${name}.safetensors`, padJson(header))
        : withHeader(`${name}.safetensors`, header);
    expectError(path, 'E_CORRUPT_FILE', message);
  });

  it('a dtype that only names an Object property is not a dtype', () => {
    const path = withHeader('proto.safetensors', { w: { dtype: 'toString', shape: [1], data_offsets: [0, 4] } });
    expectError(path, 'E_UNSUPPORTED_FORMAT', /dtype toString; supported/);
  });

  it('an unsupported dtype is E_UNSUPPORTED_FORMAT naming the supported ones', () => {
    const path = withHeader('fp8.safetensors', {
      __metadata__: { format: 'pt' },
      w: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] },
    });
    expectError(path, 'E_UNSUPPORTED_FORMAT', /dtype F8_E4M3; supported: F32, F16, BF16/);
  });

  function padJson(json: string): Uint8Array {
    const bytes = new Uint8Array(8 + json.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(new TextEncoder().encode(json), 8);
    return bytes;
  }
});

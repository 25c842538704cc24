import { describe, expect, it } from 'vitest';
import { PyGlobal, unpickle, type UnpickleOptions } from '../../../converter/read/pickle-machine.js';
import { loadTorchPickle } from '../../../converter/read/torch-pickle.js';
import { PickleWriter } from '../../../tools/checkpoints/torch-pickle-writer.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];

const options: UnpickleOptions = {
  globals: new Map([['collections.OrderedDict', () => new Map()]]),
  refusal: 'test policy',
  persistentLoad: (pid) => ({ pid }),
  source: 'test.pkl',
};

/** Runs a pickle through the PyTorch allowlist, as the checkpoint readers do. */
const torchLoad = (bytes: Uint8Array): unknown => loadTorchPickle(bytes, 'evil.pkl', () => {}).value;

describe('unpickle', () => {
  it('decodes what CPython pickle.dumps(obj, protocol=4) writes', () => {
    // pickle.dumps({'a': [1, -2, 300, 70000, -2**31, -(2**70), 2**64, 1.5, None, True, False, b'xy',
    //   ('t', 2), ('x',), (1, 2, 3, 4)], 'b': (), 'c': 'é', 'd': {}}, protocol=4)
    const bytes = hex(
      '80049575000000000000007d94288c0161945d94284b014afeffffff4d2c014a701101004a000000808a09000000000000' +
        '0000c08a09000000000000000001473ff80000000000004e888943027879948c0174944b0286948c0178948594284b014b' +
        '024b034b047494658c016294298c0163948c02c3a9948c0164947d94752e',
    );
    const { value, end } = unpickle(bytes, options);
    expect(end).toBe(bytes.length);
    expect(value).toEqual(
      new Map<string, unknown>([
        [
          'a',
          [
            1,
            -2,
            300,
            70000,
            -(2 ** 31),
            -(2n ** 70n),
            2n ** 64n,
            1.5,
            null,
            true,
            false,
            Uint8Array.of(0x78, 0x79),
            ['t', 2],
            ['x'],
            [1, 2, 3, 4],
          ],
        ],
        ['b', []],
        ['c', 'é'],
        ['d', new Map()],
      ]),
    );
    expect(Object.isFrozen((value as Map<string, unknown[]>).get('a')![12])).toBe(true); // tuples are immutable
  });

  it('resolves memo entries past 255 (LONG_BINPUT / LONG_BINGET) and starts at an offset', () => {
    const w = new PickleWriter().op(0x5d).put().op(0x28);
    for (let i = 0; i < 300; i++) w.str(`s${i}`);
    w.str('s0').str('s299').op(0x65); // fetched back from the memo
    const bytes = Uint8Array.of(0xff, 0xff, ...w.finish());
    const list = unpickle(bytes, options, 2).value as string[];
    expect(list).toHaveLength(302);
    expect(list.slice(-2)).toEqual(['s0', 's299']);
  });

  it('passes BINPERSID ids to persistentLoad', () => {
    const w = new PickleWriter();
    w.tuple(2, () => w.str('storage').int(7)).op(0x51);
    expect(unpickle(w.finish(), options).value).toEqual({ pid: ['storage', 7] });
  });

  it.each([
    ['GLOBAL os system', [0x80, 2, 0x63, ...ascii('os\nsystem\n'), 0x29, 0x52, 0x2e], 'os.system'],
    ['GLOBAL posix system', [0x80, 2, 0x63, ...ascii('posix\nsystem\n'), 0x2e], 'posix.system'],
    [
      'STACK_GLOBAL builtins eval',
      [0x80, 4, 0x8c, 8, ...ascii('builtins'), 0x8c, 4, ...ascii('eval'), 0x93, 0x2e],
      'builtins.eval',
    ],
    ['INST subprocess Popen', [0x80, 2, 0x28, 0x69, ...ascii('subprocess\nPopen\n'), 0x2e], 'subprocess.Popen'],
    ['GLOBAL torch.load', [0x80, 2, 0x63, ...ascii('torch\nload\n'), 0x2e], 'torch.load'],
  ])('refuses %s with E_UNSAFE_PICKLE naming the global', (_, bytes, name) => {
    expect(() => torchLoad(Uint8Array.from(bytes))).toThrow(
      expect.objectContaining({
        code: 'E_UNSAFE_PICKLE',
        message: expect.stringContaining(`refusing to load '${name}'`) as string,
      }),
    );
  });

  it('refuses to call an allowed marker such as torch.FloatStorage', () => {
    const bytes = Uint8Array.from([0x80, 2, 0x63, ...ascii('torch\nFloatStorage\n'), 0x29, 0x52, 0x2e]);
    expect(() => torchLoad(bytes)).toThrow(
      expect.objectContaining({
        code: 'E_UNSAFE_PICKLE',
        message: expect.stringMatching(/refusing to call 'torch.FloatStorage'/) as string,
      }),
    );
  });

  it('allows exactly the PyTorch state_dict globals', () => {
    const value = torchLoad(new PickleWriter().global('torch', 'BFloat16Storage').finish());
    expect(value).toBeInstanceOf(PyGlobal);
    expect((value as PyGlobal).qualifiedName).toBe('torch.BFloat16Storage');
  });

  it('reports an unknown opcode with its byte and offset as E_CORRUPT_FILE', () => {
    expect(() => unpickle(Uint8Array.of(0x80, 2, 0xff, 0x2e), options)).toThrow(
      expect.objectContaining({
        code: 'E_CORRUPT_FILE',
        message: expect.stringMatching(/opcode 0xff at byte 2/) as string,
      }),
    );
  });

  it.each([
    ['ends before STOP', [0x80, 2, 0x4e]],
    ['ends inside a string', [0x80, 2, 0x58, 10, 0, 0, 0, 0x61]],
    ['ends inside a GLOBAL line', [0x80, 2, 0x63, ...ascii('collections\nOrd')]],
    ['claims a huge BINUNICODE8', [0x80, 4, 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
  ])('reports a pickle that %s as truncated', (_, bytes) => {
    expect(() => unpickle(Uint8Array.from(bytes), options)).toThrow(
      expect.objectContaining({ code: 'E_CORRUPT_FILE', message: expect.stringMatching(/truncated/) as string }),
    );
  });

  it.each([
    ['a stack underflow', [0x80, 2, 0x52, 0x2e], /stack underflow/],
    ['a BINGET of an unset memo slot', [0x80, 2, 0x68, 5, 0x2e], /memo entry 5/],
    ['TUPLE without MARK', [0x80, 2, 0x74, 0x2e], /needs a MARK/],
    ['SETITEM on a list', [0x80, 2, 0x5d, 0x4e, 0x4e, 0x73, 0x2e], /needs a dict/],
    ['invalid UTF-8', [0x80, 2, 0x8c, 1, 0xff, 0x2e], /not valid UTF-8/],
  ])('reports %s as E_CORRUPT_FILE', (_, bytes, message) => {
    expect(() => unpickle(Uint8Array.from(bytes), options)).toThrow(
      expect.objectContaining({ code: 'E_CORRUPT_FILE', message: expect.stringMatching(message) as string }),
    );
  });
});

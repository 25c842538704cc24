/** The error types users branch on: codes as a closed union, a narrowing guard, names that survive minification. */
import { build, type Rolldown } from 'vite';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConverterError } from '../../converter/errors.js';
import { UsageError } from '../../cli/cli-errors.js';
import { ERROR_CODES, InceptionError, isInceptionError, RuntimeError, TaggerError, type InceptionErrorCode } from '../../shared/errors.js';
import { ROOT } from '../../tools/paths.js';

describe('isInceptionError', () => {
  it('narrows to the union of codes, or to the one code asked for', () => {
    const error: unknown = new RuntimeError('E_MODEL_NOT_FOUND', 'model.json: 404');
    if (isInceptionError(error)) expectTypeOf(error.code).toEqualTypeOf<InceptionErrorCode>();
    if (isInceptionError(error, 'E_MODEL_NOT_FOUND')) expectTypeOf(error.code).toEqualTypeOf<'E_MODEL_NOT_FOUND'>();
    // @ts-expect-error a misspelt code does not compile
    expect(isInceptionError(error, 'E_MODEL_NOT_FUOND')).toBe(false);
    expect(isInceptionError(error, 'E_MODEL_NOT_FOUND')).toBe(true);
    expect(isInceptionError(error, 'E_NETWORK')).toBe(false);
  });

  it('accepts any realm’s error with a known code, and nothing else', () => {
    expect(isInceptionError(Object.assign(new Error('x'), { code: 'E_NETWORK' }))).toBe(true);
    expect(isInceptionError(Object.assign(new Error('x'), { code: 'E_SOMETHING_ELSE' }))).toBe(false);
    expect(isInceptionError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isInceptionError({ code: 'E_NETWORK', message: 'x' })).toBe(false);
  });

  it('lists every code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES.every((code) => /^E_[A-Z0-9_]+$/.test(code))).toBe(true);
  });
});

/** Every error class, as its module exports it: the name a user sees on the console. */
const CLASSES = {
  InceptionError: `${ROOT}shared/errors.ts`,
  RuntimeError: `${ROOT}shared/errors.ts`,
  TaggerError: `${ROOT}shared/errors.ts`,
  ConverterError: `${ROOT}converter/errors.ts`,
  UsageError: `${ROOT}cli/cli-errors.ts`,
};

const ENTRY = 'virtual-error-classes.js';

/** The error classes bundled and minified as a production build would, imported from the result. */
async function minifiedClasses(): Promise<{ code: string; classes: Record<string, new (code: string, message: string) => Error> }> {
  const entry = Object.entries(CLASSES)
    .map(([name, file]) => `export { ${name} } from ${JSON.stringify(file)};`)
    .join('\n');
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    // Vite makes the lib entry an absolute path: match it by its end.
    plugins: [{ name: 'entry', resolveId: (id) => (id.endsWith(ENTRY) ? id : null), load: (id) => (id.endsWith(ENTRY) ? entry : null) }],
    build: { write: false, minify: true, lib: { entry: ENTRY, formats: ['es'] }, rolldownOptions: { external: [/^node:/] } },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]?.output[0];
  if (!chunk || chunk.type !== 'chunk') throw new Error('no chunk built');
  const classes = (await import(`data:text/javascript;base64,${Buffer.from(chunk.code).toString('base64')}`)) as Record<
    string,
    new (code: string, message: string) => Error
  >;
  return { code: chunk.code, classes };
}

describe('error names', () => {
  it('are the class names, unminified', () => {
    expect(new InceptionError('E_NETWORK', 'x').name).toBe('InceptionError');
    expect(new RuntimeError('E_NETWORK', 'x').name).toBe('RuntimeError');
    expect(new TaggerError('E_STORAGE', 'x').name).toBe('TaggerError');
    expect(new ConverterError('E_CORRUPT_FILE', 'x').name).toBe('ConverterError');
    expect(new UsageError('x').name).toBe('UsageError');
    expect(String(new RuntimeError('E_NETWORK', 'offline'))).toBe('RuntimeError: offline');
  });

  it('survive a minified production build', async () => {
    const { code, classes } = await minifiedClasses();
    // The minifier did rename the classes: otherwise this test would prove nothing.
    expect(code).not.toContain('class RuntimeError');
    for (const name of Object.keys(CLASSES)) {
      const Class = classes[name];
      if (!Class) throw new Error(`${name} missing from the bundle`);
      const error = name === 'UsageError' ? new Class('bad flag', '') : new Class('E_NETWORK', 'offline');
      expect(error.name).toBe(name);
      expect(String(error.stack)).toMatch(new RegExp(`^${name}: `));
    }
  });
});

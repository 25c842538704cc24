import { describe, expect, it } from 'vitest';
import { isInceptionError } from '../shared/errors.js';
import { CLASSIFY_DEFAULTS, LOAD_DEFAULTS, MAX_WASM_THREADS, resolveClassifyOptions, resolveLoadOptions, type LoadOptions } from '../src/options.js';

const modelUrl = '/models/inception_v3/model.json';

/** The E_BAD_OPTION message resolveLoadOptions throws for these options; fails if it does not. */
function badOption(options: Partial<LoadOptions>): string {
  try {
    resolveLoadOptions({ modelUrl, ...options });
  } catch (error) {
    if (isInceptionError(error) && error.code === 'E_BAD_OPTION') return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(options)} was accepted`);
}

describe('wasmThreads', () => {
  it("defaults to 'auto', TF.js's own choice", () => {
    expect(LOAD_DEFAULTS.wasmThreads).toBe('auto');
    expect(resolveLoadOptions({ modelUrl }).wasmThreads).toBe('auto');
  });

  it.each([1, 2, MAX_WASM_THREADS, 'auto'] as const)('accepts %s', (wasmThreads) => {
    expect(resolveLoadOptions({ modelUrl, wasmThreads }).wasmThreads).toBe(wasmThreads);
  });

  it.each([
    [0, '0'],
    [-2, '-2'],
    [1.5, '1.5'],
    [MAX_WASM_THREADS + 1, String(MAX_WASM_THREADS + 1)],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['4', "'4'"],
    ['max', "'max'"],
    [null, 'null'],
  ])('rejects %s with E_BAD_OPTION, naming the value seen and what is allowed', (wasmThreads, seen) => {
    const message = badOption({ wasmThreads: wasmThreads as LoadOptions['wasmThreads'] });
    expect(message).toContain(`wasmThreads must be an integer from 1 to ${MAX_WASM_THREADS} or 'auto', got ${seen}`);
  });
});

describe('options set to undefined', () => {
  it('take their defaults, as if left out', () => {
    const resolved = resolveLoadOptions({ modelUrl, backend: undefined, wasmThreads: undefined, maxPixels: undefined });
    expect(resolved).toMatchObject({ backend: LOAD_DEFAULTS.backend, wasmThreads: LOAD_DEFAULTS.wasmThreads, maxPixels: LOAD_DEFAULTS.maxPixels });
    expect(resolveClassifyOptions({ topK: undefined, threshold: undefined })).toEqual(CLASSIFY_DEFAULTS);
  });
});

describe('backendTimeoutMs', () => {
  it('defaults to 30 s', () => {
    expect(resolveLoadOptions({ modelUrl }).backendTimeoutMs).toBe(30_000);
  });

  it.each([0, -1, Number.NaN])('rejects %s', (backendTimeoutMs) => {
    expect(badOption({ backendTimeoutMs })).toMatch(/backendTimeoutMs must be a positive number/);
  });
});

describe('option types (JavaScript callers)', () => {
  it.each([
    [{ cache: 'yes' }, /cache must be a boolean, got string "yes"/],
    [{ warmup: 1 }, /warmup must be a boolean, got number 1/],
    [{ onProgress: 'log' }, /onProgress must be a function/],
    [{ maxPixels: '100' }, /maxPixels must be a number/],
    [{ wasmPaths: 42 }, /wasmPaths must be a folder URL/],
  ])('%j is E_BAD_OPTION', (options, message) => {
    expect(badOption(options as unknown as Partial<LoadOptions>)).toMatch(message);
  });
});

describe('webgpuKernels and webgpuTuningBudgetMs', () => {
  it("default to 'tuned' within 10 s", () => {
    expect(resolveLoadOptions({ modelUrl })).toMatchObject({ webgpuKernels: 'tuned', webgpuTuningBudgetMs: 10_000 });
  });

  it.each(['tuned', 'ours', 'stock'] as const)('accepts %s', (webgpuKernels) => {
    expect(resolveLoadOptions({ modelUrl, webgpuKernels }).webgpuKernels).toBe(webgpuKernels);
  });

  it('rejects anything else, naming the choices', () => {
    expect(badOption({ webgpuKernels: 'fast' as LoadOptions['webgpuKernels'] })).toContain("webgpuKernels must be one of tuned, ours, stock, got 'fast'");
  });

  it.each([-1, Number.NaN])('rejects a budget of %s', (webgpuTuningBudgetMs) => {
    expect(badOption({ webgpuTuningBudgetMs })).toContain(`webgpuTuningBudgetMs must be a number of milliseconds, 0 or more, got ${webgpuTuningBudgetMs}`);
  });
});

describe('webgpuShaderF16', () => {
  it('is off by default: a float32 model answers in float32', () => {
    expect(LOAD_DEFAULTS.webgpuShaderF16).toBe(false);
    expect(resolveLoadOptions({ modelUrl }).webgpuShaderF16).toBe(false);
    expect(resolveLoadOptions({ modelUrl, webgpuShaderF16: true }).webgpuShaderF16).toBe(true);
  });

  it('must be a boolean', () => {
    expect(badOption({ webgpuShaderF16: 'yes' } as unknown as Partial<LoadOptions>)).toMatch(/webgpuShaderF16 must be a boolean, got string "yes"/);
  });
});

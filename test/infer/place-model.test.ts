/**
 * How 'auto' checks and chooses, with scripted backends: which candidates run, how many
 * inferences it costs, what is remembered, and what the report says. The probe runs, uploads
 * and backend starts are fakes; the real ones are covered by self-check.test.ts (Node, wasm)
 * and the browser suite.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendReport } from '../../src/backends/select-backend.js';
import type { LoadedModel } from '../../src/classifier.js';
import type { PreparedKernels, WebGpuPlan } from '../../src/backends/webgpu/tuned-kernels.js';
import { resolveLoadOptions, type BackendName, type LoadOptions, type ResolvedLoadOptions } from '../../src/options.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';

interface Script {
  /** First run (compile + probe) and warm run, in ms. */
  readonly firstMs: number;
  readonly warmMs: number;
  /** Added to every golden value: beyond 1e-3 the self-check fails. */
  readonly drift?: number;
  /** The drift instead while WebGPU runs f16 kernels (webgpuShaderF16). */
  readonly f16Drift?: number;
  readonly unavailable?: boolean;
}

const scripts = new Map<BackendName, Script>();
const runs: { backend: BackendName; compile: boolean }[] = [];
let active: BackendName = 'cpu';

vi.mock('@tensorflow/tfjs-core', async (original) => ({
  ...(await original<object>()),
  getBackend: () => active,
  setBackend: async (name: BackendName) => {
    active = name;
    return true;
  },
}));

vi.mock('../../src/infer/upload-model.js', () => ({
  uploadModel: async (_artifacts: unknown, backend: BackendName) => ({ backend, dispose: vi.fn() }),
  releaseWeightsIfSafe: () => undefined,
}));

// Our WebGPU kernels' plan, as if read from the cache: no tuning run. With webgpuShaderF16 it
// uses f16 kernels until the self-check drops them.
const PLAN: WebGpuPlan = { kernels: 'tuned', source: 'cache', adapter: 'test', choices: {}, tuningMs: 0, complete: true, untuned: 'stock' };
let onF16 = false;
const dropReasons: string[] = [];
vi.mock('../../src/infer/webgpu-plan.js', () => ({
  planWebGpuKernels: async (options: ResolvedLoadOptions): Promise<PreparedKernels> => {
    onF16 = options.webgpuShaderF16;
    if (!onF16) return { plan: PLAN };
    const dropF16 = async (reason: string): Promise<WebGpuPlan> => {
      onF16 = false;
      dropReasons.push(reason);
      return { ...PLAN, shaderF16: { status: 'dropped', reason } };
    };
    return { plan: { ...PLAN, shaderF16: { status: 'used' } }, dropF16 };
  },
}));

const GOLDEN = { logits: [1, 2, 3], embedding: [0.5, 0.25] };

vi.mock('../../src/infer/probe-run.js', () => ({
  runProbe: async (_model: unknown, backend: BackendName, _metadata: unknown, compile: boolean) => {
    const script = scripts.get(backend) as Script;
    runs.push({ backend, compile });
    const drift = backend === 'webgpu' && onF16 ? script.f16Drift : script.drift;
    const shift = (values: number[]) => Float32Array.from(values, (v) => v + (drift ?? 0));
    return { logits: shift(GOLDEN.logits), embedding: shift(GOLDEN.embedding), ms: compile ? script.firstMs : script.warmMs };
  },
}));

const report = (backend: BackendName): BackendReport => ({ backend, skipped: [], notes: [] });

vi.mock('../../src/backends/select-backend.js', () => ({
  tryHardwareBackend: async (backend: BackendName) => (scripts.get(backend)?.unavailable ? { backend, reason: 'unavailable' } : report(backend)),
  selectBackend: async (_preference: string, _setup: unknown, candidates: BackendName[]) => {
    const found = candidates.find((b) => scripts.has(b) && !scripts.get(b)?.unavailable);
    if (!found) throw new Error('no backend');
    return report(found);
  },
}));

const { placeModel } = await import('../../src/infer/place-model.js');

let modelCount = 0;
function loadedModel(): LoadedModel {
  modelCount += 1;
  const metadata = {
    outputs: { logits: 'logits', embedding: 'embedding', features: {} },
    // A fresh hash per test: the remembered choices are keyed by it.
    weights: { sha256: `model-${modelCount}` },
    selfCheck: { probe: 'probe-v1', logits: GOLDEN.logits, embedding: { indices: [0, 1], values: GOLDEN.embedding }, tolerance: 1e-3, computedWith: 'test' },
  } as unknown as InceptionModelMetadata;
  return { artifacts: {}, metadata, fromCache: false, bytes: 0 };
}

const options = (extra: Partial<LoadOptions> = {}) => resolveLoadOptions({ modelUrl: 'https://example.com/model.json', cache: false, ...extra });

function script(entries: Partial<Record<BackendName, Script>>): void {
  scripts.clear();
  for (const [backend, s] of Object.entries(entries)) scripts.set(backend as BackendName, s);
}

beforeEach(() => {
  runs.length = 0;
  dropReasons.length = 0;
});

describe("'auto' measures once per device", () => {
  it('times the two best candidates that pass, keeps the faster, with at most 2 extra inferences', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60 }, wasm: { firstMs: 40, warmMs: 38 } });
    const placed = await placeModel(options(), loadedModel(), report('webgl'));
    expect(placed.report.backend).toBe('wasm');
    expect(placed.report.choice).toBe('measured');
    expect(placed.report.measurements).toEqual([
      { backend: 'webgl', warmMs: 60 },
      { backend: 'wasm', warmMs: 40 },
    ]);
    expect(placed.report.skipped).toEqual([{ backend: 'webgl', reason: "measured slower here: 60 ms per inference against wasm's 40 ms" }]);
    // webgl: warm-up + one timed run; wasm: its first run is its self-check and its time (no shaders).
    expect(runs).toEqual([
      { backend: 'webgl', compile: true },
      { backend: 'webgl', compile: false },
      { backend: 'wasm', compile: true },
    ]);
    expect(placed.report.extraInferences).toBe(2);
    expect(active).toBe('wasm');
  });

  it('a later load goes straight to the remembered choice: 0 extra inferences', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60 }, wasm: { firstMs: 40, warmMs: 38 } });
    const loaded = loadedModel();
    await placeModel(options(), loaded, report('webgl'));
    runs.length = 0;
    const again = await placeModel(options(), loaded, report('webgl'));
    expect(again.report.backend).toBe('wasm');
    expect(again.report.choice).toBe('cached');
    expect(again.report.extraInferences).toBe(0);
    expect(again.measureMs).toBe(0);
    expect(runs).toEqual([{ backend: 'wasm', compile: true }]); // the warm-up alone
    expect(again.report.measurements?.map((m) => m.backend)).toEqual(['webgl', 'wasm']);
  });

  it('with warmup: false, a remembered pass means no inference at all', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60 }, wasm: { firstMs: 40, warmMs: 38 } });
    const loaded = loadedModel();
    await placeModel(options(), loaded, report('webgl'));
    runs.length = 0;
    const again = await placeModel(options({ warmup: false }), loaded, report('webgl'));
    expect(runs).toEqual([]);
    expect(again.report.selfCheck).toMatchObject({ status: 'passed', cached: true });
  });

  it('a remembered backend that no longer starts is forgotten and the device measured again', async () => {
    script({ webgpu: { firstMs: 500, warmMs: 10 }, webgl: { firstMs: 900, warmMs: 60 } });
    const loaded = loadedModel();
    expect((await placeModel(options(), loaded, report('webgpu'))).report.backend).toBe('webgpu');
    script({ webgpu: { firstMs: 500, warmMs: 10, unavailable: true }, webgl: { firstMs: 900, warmMs: 60 }, wasm: { firstMs: 40, warmMs: 38 } });
    const again = await placeModel(options(), loaded, report('webgl'));
    expect(again.report.choice).toBe('measured');
    expect(again.report.backend).toBe('wasm');
  });

  it('abandons a GPU whose first run is already 3× slower than the best warm time', async () => {
    script({ webgpu: { firstMs: 300, warmMs: 10 }, webgl: { firstMs: 31, warmMs: 5 } });
    const placed = await placeModel(options(), loadedModel(), report('webgpu'));
    expect(placed.report.backend).toBe('webgpu');
    expect(placed.report.measurements?.[1]).toEqual({ backend: 'webgl', abandoned: 'first run 31 ms, over 3× the best' });
    expect(placed.report.extraInferences).toBe(2);
  });

  it('a backend whose self-check drifts is skipped with the drift, and the next one is measured', async () => {
    script({ webgl: { firstMs: 900, warmMs: 20, drift: 0.81 }, wasm: { firstMs: 40, warmMs: 38 } });
    const placed = await placeModel(options(), loadedModel(), report('webgl'));
    expect(placed.report.backend).toBe('wasm');
    expect(placed.report.skipped).toEqual([{ backend: 'webgl', reason: expect.stringMatching(/^webgl: self-check drift 0\.81 \(16-bit float textures\?\) beyond the tolerance 0\.001$/) }]);
    expect(placed.report.selfCheck).toMatchObject({ status: 'passed', cached: false });
    expect(placed.report.selfCheck?.drift).toBeLessThan(1e-6);
  });

  it('measureBackends: false keeps the first that passes, in order, with no timed run', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60 }, wasm: { firstMs: 40, warmMs: 38 } });
    const placed = await placeModel(options({ measureBackends: false }), loadedModel(), report('webgl'));
    expect(placed.report.backend).toBe('webgl');
    expect(placed.report.choice).toBe('order');
    expect(runs).toEqual([{ backend: 'webgl', compile: true }]);
    expect(placed.report.extraInferences).toBe(0);
  });
});

describe('an explicit backend', () => {
  it('that drifts fails with E_SELF_CHECK_FAILED naming the drift', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60, drift: 0.5 } });
    await expect(placeModel(options({ backend: 'webgl' }), loadedModel(), report('webgl'))).rejects.toMatchObject({
      code: 'E_SELF_CHECK_FAILED',
      message: expect.stringContaining('webgl: self-check drift 0.50'),
    });
  });

  it('is used anyway with acceptSelfCheckDrift, the drift noted', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60, drift: 0.5 } });
    const placed = await placeModel(options({ backend: 'webgl', acceptSelfCheckDrift: true }), loadedModel(), report('webgl'));
    expect(placed.report.backend).toBe('webgl');
    expect(placed.report.choice).toBe('explicit');
    expect(placed.report.notes).toEqual([expect.stringContaining('(accepted: acceptSelfCheckDrift)')]);
  });

  it('that passes is trusted, and never measured against others', async () => {
    script({ webgl: { firstMs: 900, warmMs: 60 }, wasm: { firstMs: 40, warmMs: 38 } });
    const placed = await placeModel(options({ backend: 'webgl' }), loadedModel(), report('webgl'));
    expect(placed.report.selfCheck).toMatchObject({ status: 'passed' });
    expect(runs).toEqual([{ backend: 'webgl', compile: true }]);
  });
});

describe('WebGPU f16 kernels (webgpuShaderF16), behind the self-check', () => {
  const f16 = (extra: Partial<LoadOptions> = {}) => options({ backend: 'webgpu', webgpuShaderF16: true, ...extra });

  it('are kept when the probe drifts within the float16 bound (0.05), judged at that bound', async () => {
    script({ webgpu: { firstMs: 500, warmMs: 10, f16Drift: 0.02 } });
    const placed = await placeModel(f16(), loadedModel(), report('webgpu'));
    expect(placed.report.webgpuPlan?.shaderF16).toEqual({ status: 'used' });
    expect(placed.report.selfCheck).toMatchObject({ status: 'passed', tolerance: 0.05 });
    expect(placed.report.selfCheck?.drift).toBeCloseTo(0.02, 6);
    expect(runs).toEqual([{ backend: 'webgpu', compile: true }]);
    expect(dropReasons).toEqual([]);
  });

  it('beyond it are dropped, and the f32 kernels checked again at the model’s own tolerance', async () => {
    script({ webgpu: { firstMs: 500, warmMs: 10, f16Drift: 0.2 } });
    const placed = await placeModel(f16(), loadedModel(), report('webgpu'));
    const reason = 'webgpu: self-check drift 0.20 beyond the tolerance 0.05 on the f16 kernels';
    expect(dropReasons).toEqual([reason]);
    expect(placed.report.webgpuPlan?.shaderF16).toEqual({ status: 'dropped', reason });
    expect(placed.report.selfCheck).toMatchObject({ status: 'passed', tolerance: 1e-3 });
    expect(runs).toEqual([
      { backend: 'webgpu', compile: true },
      { backend: 'webgpu', compile: true },
    ]);
    expect(placed.warmupMs).toBe(1000);
    expect(placed.report.extraInferences).toBe(1);
  });

  it('an explicit backend whose f32 kernels drift too still fails at the model’s tolerance', async () => {
    script({ webgpu: { firstMs: 500, warmMs: 10, f16Drift: 0.2, drift: 0.01 } });
    await expect(placeModel(f16(), loadedModel(), report('webgpu'))).rejects.toMatchObject({
      code: 'E_SELF_CHECK_FAILED',
      message: expect.stringContaining('beyond the tolerance 0.001'),
    });
  });

  it('a pass on f16 kernels is not remembered: a later load on f32 kernels checks again, even without warm-up', async () => {
    script({ webgpu: { firstMs: 500, warmMs: 10, f16Drift: 0.02 } });
    const loaded = loadedModel();
    await placeModel(f16(), loaded, report('webgpu'));
    runs.length = 0;
    const again = await placeModel(options({ backend: 'webgpu', warmup: false }), loaded, report('webgpu'));
    expect(runs).toEqual([{ backend: 'webgpu', compile: true }]);
    expect(again.report.selfCheck).toMatchObject({ status: 'passed', tolerance: 1e-3, cached: false });
  });

  it('are checked even when an earlier f32 pass is remembered and warm-up is off', async () => {
    script({ webgpu: { firstMs: 500, warmMs: 10, f16Drift: 0.02 } });
    const loaded = loadedModel();
    await placeModel(options({ backend: 'webgpu' }), loaded, report('webgpu'));
    runs.length = 0;
    const again = await placeModel(f16({ warmup: false }), loaded, report('webgpu'));
    expect(runs).toEqual([{ backend: 'webgpu', compile: true }]);
    expect(again.report.selfCheck).toMatchObject({ status: 'passed', tolerance: 0.05 });
  });
});

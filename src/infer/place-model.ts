import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { choiceStore, type BackendMeasurement, type ChoiceStore, type RememberedChoice } from '../backends/backend-choice-cache.js';
import { canLoseDevice } from '../backends/device-loss.js';
import { driftMessage, judgeProbe, type SelfCheckOutcome } from '../backends/self-check.js';
import { selectBackend, tryHardwareBackend, type BackendReport } from '../backends/select-backend.js';
import { RuntimeError } from '../../shared/errors.js';
import { SELF_CHECK_TOLERANCE } from '../../shared/model-metadata.js';
import type { PreparedKernels } from '../backends/webgpu/tuned-kernels.js';
import type { LoadedModel } from '../classifier.js';
import { defaultModelCache } from '../load/model-cache.js';
import { AUTO_BACKEND_ORDER, type BackendName, type ResolvedLoadOptions } from '../options.js';
import { runProbe, type ProbeOutputs } from './probe-run.js';
import { releaseWeightsIfSafe, uploadModel } from './upload-model.js';
import { planWebGpuKernels } from './webgpu-plan.js';

/** The model on its backend, and what choosing that backend cost. */
export interface Placement {
  readonly model: GraphModel;
  readonly report: BackendReport;
  readonly uploadMs: number;
  /** The chosen backend's first run: shader compilation and one inference (the warm-up). */
  readonly warmupMs: number;
  /** Everything else spent choosing: other candidates' uploads and runs, timed runs. */
  readonly measureMs: number;
}

/** A candidate with the model uploaded, checked, and (when measured) timed. */
interface Candidate {
  readonly report: BackendReport;
  readonly model: GraphModel;
  readonly check: SelfCheckOutcome | undefined;
  readonly uploadMs: number;
  /** Its first run (compile + probe), or undefined when none was needed. */
  readonly firstRunMs: number | undefined;
  warmMs?: number;
}

/** At most this many candidates are timed; a third only if one of them failed. */
const MEASURED_CANDIDATES = 2;
/** A candidate whose first run already took this many times the best warm time is not timed further. */
const ABANDON_FACTOR = 3;

async function activate(backend: BackendName): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

/** The backends 'auto' tries after `backend`, in order. */
const backendsAfter = (backend: BackendName) => AUTO_BACKEND_ORDER.slice(AUTO_BACKEND_ORDER.indexOf(backend) + 1);

/** Whether a shader-compiling backend's first run overstates its speed (WASM and CPU run at once). */
const compilesShaders = (backend: BackendName) => canLoseDevice(backend);

class Placer {
  private readonly skipped: { backend: BackendName; reason: string }[] = [];
  private readonly measurements: BackendMeasurement[] = [];
  /** Every run of the probe during this load, the warm-up included. */
  private inferences = 0;
  private measureMs = 0;

  constructor(
    private readonly options: ResolvedLoadOptions,
    private readonly loaded: LoadedModel,
    private readonly store: ChoiceStore | undefined,
    private readonly remembered: RememberedChoice | undefined,
  ) {}

  /** Uploads the model onto `report`'s backend and runs the probe when the warm-up or the self-check needs it. */
  async upload(given: BackendReport): Promise<Candidate> {
    await activate(given.backend);
    const started = performance.now();
    const model = await uploadModel(this.loaded.artifacts, given.backend, this.options.webgpuKernels, true);
    const uploadMs = performance.now() - started;
    const kernels = given.backend === 'webgpu' ? await this.planKernels(model) : undefined;
    const report = kernels ? { ...given, webgpuPlan: kernels.plan } : given;
    // f16 kernels are always checked: a pass remembered from f32 kernels says nothing about them.
    if (!this.options.warmup && !kernels?.dropF16 && !this.mustCheck(report.backend)) return { report, model, uploadMs, firstRunMs: undefined, check: this.knownCheck(report.backend) };
    const probe = await this.probe(model, report.backend);
    const check = this.judge(probe, kernels?.dropF16 !== undefined);
    if (!kernels?.dropF16 || check?.status !== 'failed') return { report, model, uploadMs, firstRunMs: probe.ms, check };
    // Beyond the float16 bound: drop the f16 kernels, and check the f32 ones at the model's own tolerance.
    const webgpuPlan = await kernels.dropF16(`${driftMessage('webgpu', check)} on the f16 kernels`);
    const again = await this.probe(model, 'webgpu');
    return { report: { ...report, webgpuPlan }, model, uploadMs, firstRunMs: probe.ms + again.ms, check: this.judge(again, false) };
  }

  /** One run of the probe, compiling its shaders first (the warm-up). */
  private async probe(model: GraphModel, backend: BackendName): Promise<ProbeOutputs> {
    this.inferences += 1;
    return runProbe(model, backend, this.loaded.metadata, true);
  }

  /** The self-check of a probe run; on f16 kernels, at the float16 weights' bound (at least). */
  private judge(probe: ProbeOutputs, f16: boolean): SelfCheckOutcome | undefined {
    if (!this.options.selfCheck) return undefined;
    const reference = this.loaded.metadata.selfCheck;
    return judgeProbe(reference, probe, f16 && reference ? Math.max(reference.tolerance, SELF_CHECK_TOLERANCE.float16) : undefined);
  }

  /**
   * Our conv kernels on WebGPU (backends/webgpu/). Tuning records the conv shapes during one run
   * of the probe, on TF.js's kernels; the self-check then runs on the kernels the plan chose.
   */
  private planKernels(model: GraphModel): Promise<PreparedKernels> {
    return planWebGpuKernels(this.options, this.loaded.metadata, async () => void (await this.probe(model, 'webgpu')));
  }

  /** Whether the self-check has to run the probe: golden outputs exist and no earlier pass is remembered. */
  private mustCheck(backend: BackendName): boolean {
    return this.options.selfCheck && this.loaded.metadata.selfCheck !== undefined && this.remembered?.checks[backend]?.status !== 'passed';
  }

  /** The self-check's outcome without running it: remembered, or unavailable for a model without golden outputs. */
  private knownCheck(backend: BackendName): SelfCheckOutcome | undefined {
    if (!this.options.selfCheck) return undefined;
    const known = this.remembered?.checks[backend];
    return known ? { ...known, cached: true } : { status: 'unavailable', cached: false };
  }

  /** One more warm run of the probe, timed: the figure 'auto' ranks by. */
  async time(candidate: Candidate): Promise<void> {
    const probe = await runProbe(candidate.model, candidate.report.backend, this.loaded.metadata, false);
    this.inferences += 1;
    candidate.warmMs = probe.ms;
  }

  /** Records a failed self-check; true when `candidate` may be used. */
  accept(candidate: Candidate): boolean {
    if (candidate.check?.status !== 'failed') return true;
    const reason = driftMessage(candidate.report.backend, candidate.check);
    if (this.options.backend !== 'auto' && !this.options.acceptSelfCheckDrift) {
      candidate.model.dispose();
      throw new RuntimeError(
        'E_SELF_CHECK_FAILED',
        `${reason}: backend '${this.options.backend}' computes wrong answers on this device; use backend: 'auto' to fall back to a backend that passes, or acceptSelfCheckDrift: true to use it anyway`,
      );
    }
    if (this.options.backend !== 'auto') return true;
    candidate.model.dispose();
    this.skipped.push({ backend: candidate.report.backend, reason });
    this.measurements.push({ backend: candidate.report.backend, abandoned: 'self-check failed' });
    return false;
  }

  /** The first candidate in `order` (from `first`) whose self-check passes. */
  async firstPassing(first: BackendReport): Promise<Candidate> {
    let report = first;
    for (;;) {
      const candidate = await this.upload(report);
      if (this.accept(candidate)) return candidate;
      const rest = backendsAfter(report.backend);
      if (rest.length === 0) throw new RuntimeError('E_NO_BACKEND', `no TF.js backend computes correctly here (${this.skipped.map((s) => s.reason).join('; ')})`);
      report = await selectBackend('auto', this.options, rest);
    }
  }

  /**
   * 'auto' on a device it has not measured: the first candidate that passes is timed, then the
   * next real (not software) GPU or WASM backend in the order; the faster wins. The second
   * candidate's first run is its self-check; WASM needs no compiling, so that run is its time,
   * and a GPU whose first run already took 3× the best time is abandoned there.
   */
  async measure(first: BackendReport): Promise<Candidate> {
    let best = await this.firstPassing(first);
    const later = backendsAfter(best.report.backend).filter((b) => b !== 'cpu');
    if (later.length === 0 || !this.options.measureBackends) return best;
    const started = performance.now();
    await this.time(best);
    this.measurements.push({ backend: best.report.backend, warmMs: best.warmMs as number });
    let measured = 1;
    for (const backend of later) {
      if (measured >= MEASURED_CANDIDATES) break;
      const report = await tryHardwareBackend(backend, this.options);
      if (!('notes' in report)) continue;
      const challenger = await this.upload(report);
      if (!this.accept(challenger)) continue;
      measured += 1;
      best = await this.duel(best, challenger);
    }
    this.measureMs = performance.now() - started;
    await activate(best.report.backend);
    return best;
  }

  /** Times `challenger` unless its first run already lost by 3×; keeps the faster, disposes the other. */
  private async duel(best: Candidate, challenger: Candidate): Promise<Candidate> {
    const bestMs = best.warmMs as number;
    const firstRun = challenger.firstRunMs ?? Number.POSITIVE_INFINITY;
    if (!compilesShaders(challenger.report.backend)) challenger.warmMs = firstRun;
    else if (firstRun <= ABANDON_FACTOR * bestMs) await this.time(challenger);
    if (challenger.warmMs === undefined) {
      this.measurements.push({ backend: challenger.report.backend, abandoned: `first run ${Math.round(firstRun)} ms, over ${ABANDON_FACTOR}× the best` });
      challenger.model.dispose();
      return best;
    }
    this.measurements.push({ backend: challenger.report.backend, warmMs: challenger.warmMs });
    const [winner, loser] = challenger.warmMs < bestMs ? [challenger, best] : [best, challenger];
    loser.model.dispose();
    return winner;
  }

  /** Whether 'auto' timed more than one candidate. */
  get measured(): boolean {
    return this.measurements.some((m) => m.warmMs !== undefined) && this.measurements.length > 1;
  }

  /** The final report, and what this device remembers for next time. */
  async finish(chosen: Candidate, choice: NonNullable<BackendReport['choice']>): Promise<Placement> {
    const backend = chosen.report.backend;
    releaseWeightsIfSafe(this.loaded.artifacts, backend);
    const measurements = choice === 'cached' ? this.remembered?.measurements : this.measured ? this.measurements : undefined;
    const drift = chosen.check?.status === 'failed' ? [`${driftMessage(backend, chosen.check)} (accepted: acceptSelfCheckDrift)`] : [];
    const warmUpRan = this.options.warmup && chosen.firstRunMs !== undefined;
    const report: BackendReport = {
      ...chosen.report,
      skipped: [...chosen.report.skipped.filter((s) => !this.skipped.some((own) => own.backend === s.backend)), ...this.skipped, ...slowerThan(backend, measurements)],
      notes: [...chosen.report.notes, ...drift],
      choice,
      ...(chosen.check && { selfCheck: chosen.check }),
      ...(measurements && { measurements }),
      extraInferences: Math.max(0, this.inferences - (warmUpRan ? 1 : 0)),
    };
    await this.remember(report, choice);
    return { model: chosen.model, report, uploadMs: chosen.uploadMs, warmupMs: chosen.firstRunMs ?? 0, measureMs: this.measureMs };
  }

  /** Self-check outcomes are added to what was remembered; the 'auto' choice changes only when measured. */
  private async remember(report: BackendReport, choice: NonNullable<BackendReport['choice']>): Promise<void> {
    if (!this.store) return;
    const checks = { ...this.remembered?.checks };
    // A pass on f16 kernels (at the float16 bound) would let a later f32 load skip its own check.
    const onF16 = report.webgpuPlan?.shaderF16?.status === 'used';
    if (report.selfCheck && !report.selfCheck.cached && !onF16) checks[report.backend] = { ...report.selfCheck, cached: true };
    for (const skip of this.skipped) checks[skip.backend] = { status: 'failed', cached: true };
    const auto =
      choice === 'measured'
        ? { backend: report.backend, measurements: report.measurements }
        : { backend: this.remembered?.backend, measurements: this.remembered?.measurements };
    await this.store.write({ ...(auto.backend && { backend: auto.backend }), ...(auto.measurements && { measurements: auto.measurements }), checks });
  }
}

/** Why each measured backend other than the chosen one was passed over. */
function slowerThan(chosen: BackendName, measurements: readonly BackendMeasurement[] | undefined): { backend: BackendName; reason: string }[] {
  const winner = measurements?.find((m) => m.backend === chosen)?.warmMs;
  return (measurements ?? [])
    .filter((m) => m.backend !== chosen && m.abandoned !== 'self-check failed')
    .map((m) => ({
      backend: m.backend,
      reason: m.warmMs !== undefined ? `measured slower here: ${Math.round(m.warmMs)} ms per inference against ${chosen}'s ${Math.round(winner ?? 0)} ms` : `measured slower here: ${m.abandoned}`,
    }));
}

/** The remembered 'auto' choice, if it still initialises and passes; otherwise it is forgotten. */
async function rememberedCandidate(options: ResolvedLoadOptions, loaded: LoadedModel, store: ChoiceStore | undefined, remembered: RememberedChoice, first: BackendReport): Promise<Placement | undefined> {
  const backend = remembered.backend as BackendName;
  const found = backend === first.backend ? first : await tryHardwareBackend(backend, options);
  if ('notes' in found) {
    const placer = new Placer(options, loaded, store, remembered);
    const candidate = await placer.upload({ ...found, skipped: first.skipped });
    if (candidate.check?.status !== 'failed') return placer.finish(candidate, 'cached');
    candidate.model.dispose();
  }
  await store?.forget();
  await activate(first.backend);
  return undefined;
}

/**
 * Puts the model on a backend that computes right, and for 'auto' the fastest such: `first` is
 * the backend selectBackend made active. An 'auto' choice this device remembers is used
 * straight away (no extra inference); a remembered backend that no longer works or passes is
 * forgotten and 'auto' measures again.
 */
export async function placeModel(options: ResolvedLoadOptions, loaded: LoadedModel, first: BackendReport): Promise<Placement> {
  const checking = options.selfCheck || (options.backend === 'auto' && options.measureBackends);
  const store = checking ? await choiceStore(options.cache ? defaultModelCache() : undefined, loaded.metadata) : undefined;
  const remembered = await store?.read();
  if (options.backend !== 'auto') {
    const placer = new Placer(options, loaded, store, remembered);
    const candidate = await placer.upload(first);
    placer.accept(candidate);
    return placer.finish(candidate, 'explicit');
  }
  const useRemembered = remembered?.backend !== undefined && options.measureBackends;
  const cached = useRemembered ? await rememberedCandidate(options, loaded, store, remembered, first) : undefined;
  if (cached) return cached;
  // A remembered choice that failed was forgotten, its checks with it.
  const placer = new Placer(options, loaded, store, useRemembered ? undefined : remembered);
  const chosen = await placer.measure(first);
  return placer.finish(chosen, placer.measured ? 'measured' : 'order');
}

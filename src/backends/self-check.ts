import * as tf from '@tensorflow/tfjs-core';
import type { SelfCheckReference } from '../../shared/model-metadata.js';
import type { BackendName } from '../options.js';

/** What the self-check found for one backend (see LoadOptions.selfCheck). */
export interface SelfCheckOutcome {
  /** 'passed': within tolerance; 'failed': beyond it; 'unavailable': the model stores no golden outputs. */
  readonly status: 'passed' | 'failed' | 'unavailable';
  /** The largest |Δ| against the golden outputs, over the logits and the embedding sample. */
  readonly drift?: number;
  readonly tolerance?: number;
  /** True when this result was remembered from an earlier load on this device, not run now. */
  readonly cached: boolean;
}

/** The probe's outputs on a backend, as compared with the golden ones. */
export interface ProbeValues {
  readonly logits?: Float32Array;
  readonly embedding: Float32Array;
}

function maxDrift(got: ArrayLike<number>, expected: readonly number[], at: (i: number) => number = (i) => i): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const delta = Math.abs((got[at(i)] ?? Number.NaN) - (expected[i] as number));
    // NaN (a backend that produced garbage) must fail the check, and NaN > worst is false.
    worst = Number.isNaN(delta) ? Number.POSITIVE_INFINITY : Math.max(worst, delta);
  }
  return worst;
}

/**
 * Compares the probe's outputs on a backend with the golden outputs stored at conversion, within
 * the model's tolerance unless given another (f16 kernels are judged at the float16 bound).
 */
export function judgeProbe(reference: SelfCheckReference | undefined, values: ProbeValues, tolerance?: number): SelfCheckOutcome {
  if (!reference) return { status: 'unavailable', cached: false };
  const { indices, values: expected } = reference.embedding;
  const embeddingDrift = maxDrift(values.embedding, expected, (i) => indices[i] as number);
  const logitDrift = reference.logits && values.logits ? maxDrift(values.logits, reference.logits) : 0;
  const drift = Math.max(embeddingDrift, logitDrift);
  const bound = tolerance ?? reference.tolerance;
  return { status: drift <= bound ? 'passed' : 'failed', drift, tolerance: bound, cached: false };
}

/** A TF.js flag's value; undefined when the module that registers it (tfjs-backend-webgl) is not loaded. */
function flag(name: string): boolean | undefined {
  try {
    return tf.env().getBool(name);
  } catch {
    return undefined;
  }
}

/** The likeliest cause of a drift, for the message: WebGL that stores floats in 16 bits. */
function driftHint(backend: BackendName): string {
  if (backend !== 'webgl') return '';
  const halfFloats = flag('WEBGL_FORCE_F16_TEXTURES') === true || flag('WEBGL_RENDER_FLOAT32_ENABLED') === false;
  return halfFloats ? ' (16-bit float textures)' : ' (16-bit float textures?)';
}

/** "webgl: self-check drift 0.81 (16-bit float textures?) beyond the tolerance 0.001" */
export function driftMessage(backend: BackendName, outcome: SelfCheckOutcome): string {
  return `${backend}: self-check drift ${formatDrift(outcome.drift ?? Number.NaN)}${driftHint(backend)} beyond the tolerance ${outcome.tolerance}`;
}

const formatDrift = (drift: number) => (drift >= 0.01 || !Number.isFinite(drift) ? drift.toPrecision(2) : drift.toExponential(1));

/**
 * Horizontal fusion's arithmetic, shared by the converter's `fuse-sibling-convs` pass and the
 * runtime's load-time fusion for its WebGPU kernels: sibling 1×1 convs that read one tensor
 * become one wider conv, their filters side by side along output channels.
 *
 * Members with a ReLU and the linear pool-branch conv share one epilogue through a per-channel
 * PReLU: alpha 0 is a ReLU and alpha 1 the identity, exactly. A member without a bias adds 0.
 */
import { concat } from './concat-vectors.js';

/** One member: its filter [1, 1, cin, channels] (row-major), bias if it has one, and its activation. */
export interface SiblingConv {
  readonly filter: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly relu: boolean;
  readonly channels: number;
}

/** The fused conv's epilogue: TF.js's `fused_ops`, and the PReLU's alpha when the members mix. */
export interface FusedEpilogue {
  readonly fusedOps: readonly string[];
  readonly alpha: Float32Array | undefined;
}

/** [1, 1, cin, Σc] from the members' [1, 1, cin, c] filters, each input row side by side. */
export function sideBySideFilters(members: readonly Pick<SiblingConv, 'filter' | 'channels'>[], cin: number): Float32Array {
  const total = members.reduce((sum, m) => sum + m.channels, 0);
  const out = new Float32Array(cin * total);
  let offset = 0;
  for (const { filter, channels } of members) {
    for (let row = 0; row < cin; row++) out.set(filter.subarray(row * channels, (row + 1) * channels), row * total + offset);
    offset += channels;
  }
  return out;
}

/** The members' biases end to end, zeros for a member without one. */
export function fusedBias(members: readonly Pick<SiblingConv, 'bias' | 'channels'>[]): Float32Array {
  return concat(members.map((m) => m.bias ?? new Float32Array(m.channels)));
}

/** All ReLU: BiasAdd + Relu; all linear: BiasAdd; mixed: BiasAdd + Prelu with alpha 0 or 1 per channel. */
export function fusedEpilogue(members: readonly Pick<SiblingConv, 'relu' | 'channels'>[]): FusedEpilogue {
  const mixed = members.some((m) => m.relu) && members.some((m) => !m.relu);
  if (!mixed) return { fusedOps: members[0]?.relu ? ['BiasAdd', 'Relu'] : ['BiasAdd'], alpha: undefined };
  return { fusedOps: ['BiasAdd', 'Prelu'], alpha: concat(members.map((m) => new Float32Array(m.channels).fill(m.relu ? 0 : 1))) };
}

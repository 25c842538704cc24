/**
 * One configuration of our implicit-GEMM conv: each invocation computes `rows` output pixels ×
 * `colVecs` groups of output channels (4 channels a group where the channel count allows), and
 * `splitK` > 1 splits the input channels into that many slices summed by a second dispatch.
 * `f16` multiplies and accumulates in half precision (shader-f16; see ImplicitGemmProgram).
 */
export interface GemmConfig {
  readonly kind: 'gemm';
  readonly rows: number;
  readonly colVecs: number;
  readonly splitK: number;
  /** Absent in plans cached before shader-f16 kernels existed: read as false. */
  readonly f16?: boolean;
}

/** A plan's choice for one conv shape: TF.js's own kernel, or ours with a configuration. */
export type KernelChoice = { readonly kind: 'stock' } | GemmConfig;

export const STOCK: KernelChoice = { kind: 'stock' };

export const gemm = (rows: number, colVecs: number, splitK = 1, f16 = false): GemmConfig => ({ kind: 'gemm', rows, colVecs, splitK, ...(f16 && { f16 }) });

/** Whether a choice runs in half precision. */
export const isF16 = (choice: KernelChoice): boolean => choice.kind === 'gemm' && choice.f16 === true;

/** `stock` or `gemm 4x2 k3` (`gemm 4x2 f16`), as plans and reports print a choice. */
export function choiceName(choice: KernelChoice): string {
  if (choice.kind === 'stock') return 'stock';
  return `gemm ${choice.rows}x${choice.colVecs}${choice.splitK > 1 ? ` k${choice.splitK}` : ''}${isF16(choice) ? ' f16' : ''}`;
}

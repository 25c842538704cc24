import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Invocations per workgroup: 64 fills a GPU's wave and eight 8-lane SIMD rows on a CPU driver. */
export const WORKGROUP = 64;

/** What a program tells TF.js about itself: its key, output, inputs, and how many invocations it needs. */
export interface BakedLayout {
  readonly shaderKey: string;
  readonly outputShape: number[];
  readonly variableNames: string[];
  /** Each input's vector width (1 or 4 floats), in `variableNames` order. */
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly invocations: number;
}

/**
 * What our WebGPU programs (the GEMM, its split-K reduce, the window ops) have in common: every
 * size is baked into the WGSL (the shader key names them all, so TF.js's shape uniforms go
 * unused), and the work is one flat run of invocations in 1-D workgroups of WORKGROUP, each
 * calling `main(index)`.
 */
export abstract class BakedProgram implements WebGPUProgram {
  readonly dispatchLayout = { x: [0] };
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  /** Not readonly: TF.js reshapes a dispatch that exceeds the device's limit per dimension. */
  dispatch: [number, number, number];
  readonly shaderKey: string;
  readonly outputShape: number[];
  readonly variableNames: string[];
  readonly variableComponents: number[];
  readonly outputComponent: number;

  protected constructor(layout: BakedLayout) {
    this.shaderKey = layout.shaderKey;
    this.outputShape = layout.outputShape;
    this.variableNames = layout.variableNames;
    this.variableComponents = layout.variableComponents;
    this.outputComponent = layout.outputComponent;
    this.dispatch = [Math.ceil(layout.invocations / WORKGROUP), 1, 1];
  }

  abstract getUserCode(): string;
}

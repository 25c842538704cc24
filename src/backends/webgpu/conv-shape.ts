import { backend_util } from '@tensorflow/tfjs-core';

/** What a conv kernel needs to know about one call, NHWC, with the padding already resolved. */
export interface ConvShape {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** The shape of a conv TF.js computed (computeConv2DInfo), or undefined where our kernel does not apply. */
export function convShape(info: backend_util.Conv2DInfo): ConvShape | undefined {
  const supported = info.dataFormat === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1;
  if (!supported) return undefined;
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** A stable name for a shape, the key of a tuned plan: `1x35x35x192>1x1x64/s1p0,0`. */
export function shapeKey(s: ConvShape): string {
  const input = `${s.batch}x${s.inHeight}x${s.inWidth}x${s.inChannels}`;
  const stride = s.strideHeight === s.strideWidth ? `${s.strideHeight}` : `${s.strideHeight},${s.strideWidth}`;
  return `${input}>${s.filterHeight}x${s.filterWidth}x${s.outChannels}/s${stride}p${s.padTop},${s.padLeft}`;
}

/** Output rows of the implicit GEMM (one per output pixel). */
export const gemmRows = (s: ConvShape): number => s.batch * s.outHeight * s.outWidth;

import * as tf from '@tensorflow/tfjs-core';
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { wholeSpan } from './channel-span.js';
import { WindowProgram } from './window-program.js';

interface MeanAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** Whether the Mean is the embedding's: NHWC, over height and width. */
function isSpatialMean(x: TensorInfo, attrs: MeanAttrs): boolean {
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort();
  return x.shape.length === 4 && x.dtype === 'float32' && axes.length === 2 && axes[0] === 1 && axes[1] === 2;
}

function routed(stock: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const attrs = args.attrs as unknown as MeanAttrs;
    if (!isSpatialMean(x, attrs)) return stock(args);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const shape = { batch: n, inHeight: h, inWidth: w, channels: c, outHeight: 1, outWidth: 1, windowHeight: h, windowWidth: w, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0 };
    const out = (args.backend as WebGPUBackend).runWebGPUProgram(new WindowProgram(shape, { kind: 'mean' }, wholeSpan(c), wholeSpan(c)), [x], 'float32');
    // A fresh tensor, so its buffer can take the shape keepDims asks for without a copy.
    return { ...out, shape: attrs.keepDims ? [n, 1, 1, c] : [n, c] };
  };
}

let installed = false;

/** Puts our one-dispatch spatial Mean in front of TF.js's (a transpose and a reduction); once per page. */
export function installMeanKernel(): void {
  if (installed) return;
  const stock = tf.getKernel('Mean', 'webgpu');
  if (!stock) throw new Error("TF.js's WebGPU backend has no Mean kernel to take over");
  tf.unregisterKernel('Mean', 'webgpu');
  const config: KernelConfig = { ...stock, kernelFunc: routed(stock.kernelFunc) };
  tf.registerKernel(config);
  installed = true;
}

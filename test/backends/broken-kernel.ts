import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * A deliberately broken test build of TF.js's wasm backend: its Mean kernel (the global average
 * pool that makes the embedding) returns values 1% too large. Returns the function that puts the
 * real kernel back.
 */
export async function breakWasmKernel(): Promise<() => void> {
  await import('@tensorflow/tfjs-backend-wasm');
  const original = tf.getKernel('Mean', 'wasm') as tf.KernelConfig;
  tf.unregisterKernel('Mean', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const out = original.kernelFunc(args) as tf.TensorInfo;
      const values = (args.backend as unknown as WasmBackendLike).typedArrayFromHeap(out);
      for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * 1.01;
      return out;
    },
  });
  return () => {
    tf.unregisterKernel('Mean', 'wasm');
    tf.registerKernel(original);
  };
}

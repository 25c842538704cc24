/** Where bench/inference/browser-contender.ts serves what the benchmark page fetches. */
export const PAGE_PATHS = {
  /** The converted synthetic float32 model. */
  model: '/models/synthetic/model.json',
  /** TF.js's WASM binaries. */
  wasm: '/wasm/',
  /** onnxruntime-web's dist folder: its ESM entry and WASM binaries. */
  ort: '/ort/',
  /** The ONNX export of the same network (bench/inference/onnx-model.ts). */
  onnx: '/onnx/synthetic-inception.onnx',
  /** LiteRT.js's WASM binaries (@litertjs/core/wasm). */
  litert: '/litert/',
  /** The same synthetic weights written by `convert --format tflite`. */
  tflite: '/tflite/model.tflite',
  /** Single-op .tflite models of the LiteRT.js op profile (bench/profile/litert-op-profile.ts). */
  ops: '/ops/',
  /** test/fixtures/seedA */
  seedA: '/seedA/images_u8_nhwc_4x299x299x3.bin',
} as const;

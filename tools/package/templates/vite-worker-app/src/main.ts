// Layered over vite-app: the library's own worker, under `vite dev` or a build, classifying the
// seedA image (raw 299×299 pixels, served as /seed.bin) with the synthetic model on WASM.
import { loadWorkerClassifier } from 'inception-webgpu';

declare global {
  interface Window {
    classifySeed(): Promise<{ backend: string; logits: number[] }>;
  }
}

window.classifySeed = async () => {
  const classifier = await loadWorkerClassifier({
    modelUrl: '/models/synthetic/model.json',
    backend: 'wasm',
    wasmPaths: `${location.origin}/wasm/`,
    preprocess: 'none',
    warmup: false,
  });
  const rgb = new Uint8Array(await (await fetch('/seed.bin')).arrayBuffer()).subarray(0, 299 * 299 * 3);
  // ImageData, not a tensor: the page has no TF.js backend of its own, only the worker has.
  const image = new ImageData(299, 299);
  for (let pixel = 0; pixel < 299 * 299; pixel++) {
    image.data.set(rgb.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
    image.data[pixel * 4 + 3] = 255;
  }
  const logits = await classifier.logits(image);
  classifier.dispose();
  return { backend: classifier.backend, logits: Array.from(logits) };
};

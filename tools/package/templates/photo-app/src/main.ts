// A photo-tagging app written from the README: no bundler config, no wasmPaths. The test that
// builds it (test/package/consumed-app.slow.test.ts) reads window.appResult.
import { loadClassifier, loadWorkerClassifier, type BackendPreference } from 'inception-webgpu';

const modelUrl = '/models/synthetic/model.json';
const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'auto') as BackendPreference;
const backendTimeoutMs = Number(params.get('backendTimeoutMs') ?? 30_000);

async function mainThread() {
  const photo = document.querySelector('img') as HTMLImageElement;
  const started = performance.now();
  const classifier = await loadClassifier({ modelUrl, backend, backendTimeoutMs });
  const loadMs = performance.now() - started;
  const logits = Array.from(await classifier.logits(photo));
  const firstClassifyMs = performance.now() - started - loadMs;
  const shown = { width: photo.width, naturalWidth: photo.naturalWidth };
  return { backendReport: classifier.backendReport, loadMs, firstClassifyMs, logits, shown };
}

async function inWorkers() {
  const photo = document.querySelector('img') as HTMLImageElement;
  const worker = new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module' });
  const own = await loadWorkerClassifier({ modelUrl, backend, worker });
  const packaged = await loadWorkerClassifier({ modelUrl, backend });
  return { backend: own.backend, logits: Array.from(await own.logits(photo)), packagedLogits: Array.from(await packaged.logits(photo)) };
}

async function run() {
  try {
    return params.get('part') === 'worker' ? await inWorkers() : await mainThread();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return { error: { code, message: String(message ?? error) } };
  }
}

(window as unknown as { appResult: Promise<unknown> }).appResult = run();

// The same app as photo-app, built by webpack 5 with no config (entry src/index.js, output dist/).
import { loadClassifier, loadWorkerClassifier } from 'inception-webgpu';

const modelUrl = '/models/synthetic/model.json';

async function run() {
  try {
    const photo = document.querySelector('img');
    const classifier = await loadClassifier({ modelUrl });
    const logits = Array.from(await classifier.logits(photo));
    const worker = await loadWorkerClassifier({ modelUrl });
    return { backendReport: classifier.backendReport, logits, workerLogits: Array.from(await worker.logits(photo)) };
  } catch (error) {
    return { error: { code: error?.code, message: String(error?.message ?? error) } };
  }
}

window.appResult = run();

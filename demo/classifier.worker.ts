// The demo's classifier worker: the SDK's own, plus one setting. WASM would start a thread per
// core; one core is left to the page instead, so scrolling and drops stay smooth while a batch
// runs (on a 2-core machine the page otherwise waits behind the inference threads).
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { exposeClassifier } from '../src/index.js';

setThreadsCount(Math.max(1, navigator.hardwareConcurrency - 1));
exposeClassifier();

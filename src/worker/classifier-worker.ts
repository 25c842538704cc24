/**
 * The worker script loadWorkerClassifier() starts when it is given no worker. Bundlers (Vite,
 * webpack 5, Parcel) find it through `new Worker(new URL(...), { type: 'module' })` in
 * create-worker.ts and build it as a separate entry.
 */
import { exposeClassifier } from './expose-classifier.js';

exposeClassifier();

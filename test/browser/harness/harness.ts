// Exposes the SDK, built by Vite exactly as an app would bundle it, to Playwright tests.
import * as tf from '@tensorflow/tfjs-core';
import * as sdk from 'inception-webgpu';
import { sdkFixtures } from './sdk-fixtures.js';
import { workerFixtures } from './worker-fixtures.js';

declare global {
  interface Window {
    sdk: typeof sdk;
    tf: typeof tf;
    workerFixtures: typeof workerFixtures;
    sdkFixtures: typeof sdkFixtures;
    harnessReady: boolean;
  }
}

window.sdk = sdk;
window.tf = tf;
window.workerFixtures = workerFixtures;
window.sdkFixtures = sdkFixtures;
window.harnessReady = true;

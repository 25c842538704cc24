import { fileURLToPath } from 'node:url';

/** The repository root, for fixtures and generated test artefacts. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const FIXTURES = `${ROOT}test/fixtures`;
/** Generated, git-ignored models shared by test files and runs (see synthetic-model.ts). */
export const TEST_MODELS = `${ROOT}.cache/test-models`;
/** TF.js's WASM binaries, for pages that serve them next to the app. */
export const WASM_DIR = `${ROOT}node_modules/@tensorflow/tfjs-backend-wasm/dist`;

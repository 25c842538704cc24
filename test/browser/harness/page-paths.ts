/** Where test/browser/sdk-page.ts serves the fixtures that the page-side helpers fetch. */
export const PAGE_PATHS = {
  /** The synthetic float32 model (mounted by test/helpers/browser-harness.ts). */
  model: '/models/synthetic/model.json',
  /** TF.js's WASM binaries (mounted by test/helpers/browser-harness.ts). */
  wasm: '/wasm/',
  /** test/fixtures/photos */
  photos: '/photos/',
  /** test/fixtures/seedA */
  seedA: '/seedA/',
} as const;

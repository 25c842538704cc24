import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Full Inception forward passes on the cpu/wasm backends take seconds each.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: run files one at a time so heavy model tests don't starve each other.
    fileParallelism: false,
  },
});

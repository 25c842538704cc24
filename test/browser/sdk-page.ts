import { openHarness, type HarnessSession } from '../helpers/browser-harness.js';
import type { BrowserMode } from '../../tools/browser/browser.js';
import { FIXTURES } from '../../tools/paths.js';
import type { StaticServerOptions } from '../../tools/browser/static-server.js';
import { PAGE_PATHS } from './harness/page-paths.js';

/** fp32 backends fed seedA unchanged (preprocess: 'none') must match PyTorch's logits this closely (measured ≤ 2.3e-5). */
export const SEED_A_TOLERANCE = 1e-4;

/**
 * For tests that run the model on SwiftShader (Chromium's CPU-only GPU): ~10 s per forward pass on
 * WebGL and one to two minutes on WebGPU on two cores, several times that on a busy machine.
 */
export const SWIFTSHADER_TIMEOUT = 600_000;

/** The test harness, plus the fixture photos and seedA images where window.sdkFixtures fetches them. */
export function openSdkPage(mode: BrowserMode, serverOptions: Partial<StaticServerOptions> = {}, args: string[] = []): Promise<HarnessSession> {
  const mounts = { [PAGE_PATHS.photos]: `${FIXTURES}/photos/`, [PAGE_PATHS.seedA]: `${FIXTURES}/seedA/`, ...serverOptions.mounts };
  return openHarness(mode, { ...serverOptions, mounts }, args);
}

/** The URL the page fetches a fixture photo from. */
export const photoUrl = (file: string): string => `${PAGE_PATHS.photos}${file}`;

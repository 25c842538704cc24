import { chromium, type Browser } from 'playwright-core';

/**
 * Which GPU paths Chromium gets: 'webgpu' adds SwiftShader WebGPU (slow: tens of seconds per
 * forward pass), 'webgl' is Chromium's default (WebGL only), 'wasm-only' removes both.
 */
export type BrowserMode = 'webgpu' | 'webgl' | 'wasm-only';

// Without these, Chromium keeps trying to reach Google's services through the closed network.
const QUIET_FLAGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const MODE_FLAGS: Record<BrowserMode, string[]> = {
  webgpu: ['--enable-unsafe-webgpu'],
  webgl: [],
  'wasm-only': ['--disable-software-rasterizer', '--disable-gpu'],
};

/** Debian's Chromium (never a downloaded browser), headless. */
export function launchChromium(mode: BrowserMode, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', ...QUIET_FLAGS, ...MODE_FLAGS[mode], ...extraArgs],
  });
}

/**
 * Renderers that run the "GPU" on the CPU. Through WebGL or WebGPU they are tens of times slower
 * than TF.js's WASM backend (SwiftShader WebGL: ~19 s per photo against ~0.2 s), so 'auto' ranks
 * them below WASM. Chromium without a usable GPU (VMs, CI, blocklisted drivers) falls back to
 * SwiftShader; Mesa's llvmpipe/lavapipe and Windows' WARP are the others.
 */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver|\bwarp\b/i;

function softwareName(description: string): string | undefined {
  const match = SOFTWARE_RENDERER.exec(description);
  return match ? match[0] : undefined;
}

function slowerThanWasm(name: string): string {
  return `software renderer ${name}: slower than WASM`;
}

/** WebGL's renderer string (unmasked where the browser allows), from a throwaway context. */
export function webglRenderer(): string | undefined {
  const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1) : globalThis.document?.createElement('canvas');
  const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as WebGLRenderingContext | null | undefined;
  if (!gl) return undefined;
  try {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/** Why WebGL here is a software renderer ranked below WASM, or undefined for a real GPU. */
export function softwareWebGl(): string | undefined {
  const name = softwareName(webglRenderer() ?? '');
  return name && slowerThanWasm(name);
}

interface AdapterLike {
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & { readonly isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

/** Why this WebGPU adapter is a software one ranked below WASM, or undefined for a real GPU. */
export function softwareWebGpu(adapter: AdapterLike): string | undefined {
  const info = adapter.info ?? {};
  const name = softwareName([info.vendor, info.architecture, info.device, info.description].join(' '));
  if (name) return slowerThanWasm(name);
  return info.isFallbackAdapter || adapter.isFallbackAdapter ? slowerThanWasm('(WebGPU fallback adapter)') : undefined;
}

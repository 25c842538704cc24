/** The WebGPU adapter on offer (SwiftShader, lavapipe or a real GPU), as JSON; null without one. */
export async function gpuAdapter(): Promise<string | null> {
  const adapter = await (globalThis.navigator as Navigator | undefined)?.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  return JSON.stringify({ vendor, architecture, device, description });
}

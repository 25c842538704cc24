import type { MemoryReport, StackApi } from './protocol.js';

/** How a host reads its own memory: performance.memory in Chromium, process.memoryUsage() in Node. */
export interface MemoryProbe {
  jsHeapMB(): number | undefined;
  rssPeakMB(): number | undefined;
}

/**
 * Wraps a stack so the JS heap is sampled after every call: neither Chromium nor Node keeps a
 * peak, so the peak reported is the largest of these samples.
 */
export function trackPeaks(api: StackApi, probe: MemoryProbe): StackApi {
  let peak: number | undefined;
  const sample = <T>(value: T): T => {
    const now = probe.jsHeapMB();
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
    return value;
  };
  return {
    info: () => api.info().then(sample),
    load: () => api.load().then(sample),
    logits: () => api.logits().then(sample),
    run: (batch) => api.run(batch).then(sample),
    peakBackendMB: (batch) => api.peakBackendMB(batch).then(sample),
    memory: async (): Promise<MemoryReport> => {
      const own = sample(await api.memory());
      const rssPeakMB = probe.rssPeakMB();
      return { ...own, ...(peak !== undefined && { jsHeapPeakMB: peak }), ...(rssPeakMB !== undefined && { rssPeakMB }) };
    },
  };
}

import type { GraphVariantResult } from '../graph/graph-benchmark.js';
import { markdownTable } from './format.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function graphReport(results: readonly GraphVariantResult[]): string {
  const table = markdownTable(
    ['graph', 'ops', 'convs (+ depthwise averages)', 'dispatches, stock TF.js (counted on lavapipe)', "dispatches with the SDK's WebGPU kernels (counted on lavapipe)", 'bytes moved, stock', 'bytes moved, range kernels (estimate)', 'ops by type'],
    results.map(({ label, cost, measuredDispatches, measuredOursDispatches }) => [
      label,
      String(cost.opCount),
      `${cost.convs} (+ ${cost.depthwiseConvs})`,
      `${cost.dispatches} (${measuredDispatches})`,
      String(measuredOursDispatches),
      mb(cost.bytes.stock),
      mb(cost.bytes.rangeKernels),
      Object.entries(cost.ops).map(([op, n]) => `${op} ${n}`).join(', '),
    ]),
  );
  return `# The graph before and after the passes (batch 1)\n\n${table}\n\n` +
    'Dispatches and bytes are counted from the graph (bench/graph/graph-cost.ts); the number in brackets is the programs TF.js ran on lavapipe. ' +
    "The SDK's WebGPU kernels: the graph rewritten at load (backends/webgpu/channel-parts-graph.ts): sibling 1×1 convs fused (unless the converter fused them), branches writing into their channels of a concat, convs reading channel ranges and doing their input's normalisation or max pool as they read it, a head's branch1x1 copy in its pool member's average, our convs on default configurations (no split-K reduce) and our one-program Mean. " +
    '"Range kernels" bytes estimate a Slice read only by convs and a concat fed only by convs and Slices as free. ' +
    'Bytes moved: float32 tensors each dispatch reads (weights included) and writes.\n';
}

import type { GraphVariantResult } from '../graph/graph-benchmark.js';
import { markdownTable } from './format.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function graphReport(results: readonly GraphVariantResult[]): string {
  const table = markdownTable(
    ['graph', 'ops', 'convs (+ depthwise averages)', 'dispatches, stock TF.js (counted on lavapipe)', 'dispatches with range kernels', 'bytes moved, stock', 'bytes moved, range kernels', 'ops by type'],
    results.map(({ label, cost, measuredDispatches }) => [
      label,
      String(cost.opCount),
      `${cost.convs} (+ ${cost.depthwiseConvs})`,
      `${cost.dispatches.stock} (${measuredDispatches})`,
      String(cost.dispatches.rangeKernels),
      mb(cost.bytes.stock),
      mb(cost.bytes.rangeKernels),
      Object.entries(cost.ops).map(([op, n]) => `${op} ${n}`).join(', '),
    ]),
  );
  return `# The graph before and after the passes (batch 1)\n\n${table}\n\n` +
    'Dispatches and bytes are counted from the graph (bench/graph/graph-cost.ts); the number in brackets is the programs TF.js ran on lavapipe. ' +
    '"Range kernels": WebGPU kernels that read a channel range and write into a channel offset of a concat, so a Slice read only by convs and a concat fed only by convs and Slices cost nothing. ' +
    'Bytes moved: float32 tensors each dispatch reads (weights included) and writes.\n';
}

/**
 * `npm run bench -- graph`: the Inception graph before and after each set of graph passes —
 * ops, convs, WebGPU dispatches per inference (counted from the graph for stock TF.js, and
 * counted on lavapipe with stock TF.js and with the SDK's kernels), bytes moved — into
 * bench/results/graph.json and graph.md.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInceptionGraph, type WeightProvider } from '../../converter/graph/build-graph.js';
import { IMAGENET_NUM_CLASSES } from '../../converter/model/inception-v3-spec.js';
import { resolveNormalization } from '../../converter/model/normalization.js';
import { applyGraphPasses, type GraphPassName } from '../../converter/graph/passes/graph-passes.js';
import { convertSyntheticModel } from '../../converter/synthetic/convert-synthetic.js';
import { lavapipeEnv } from '../../tools/gpu/lavapipe.js';
import { ROOT } from '../../tools/paths.js';
import { machine } from '../machine.js';
import { graphReport } from '../report/graph-report.js';
import { writeResult } from '../results.js';
import { graphCost, type GraphCost } from './graph-cost.js';

export interface GraphVariant {
  readonly label: string;
  readonly passes: readonly GraphPassName[];
}

export interface GraphVariantResult extends GraphVariant {
  readonly cost: GraphCost;
  /** Programs TF.js ran for one batch-1 inference on lavapipe. */
  readonly measuredDispatches: number;
  /** The same with the SDK's WebGPU kernels and its channel-parts rewrite. */
  readonly measuredOursDispatches: number;
}

export const GRAPH_VARIANTS: readonly GraphVariant[] = [
  { label: 'no passes (pad + average pool + conv)', passes: [] },
  { label: 'pool branches reordered (the converter until now)', passes: ['reorder-pool-branches'] },
  { label: '+ nested concats flattened (the default)', passes: ['reorder-pool-branches', 'flatten-concats'] },
  { label: '+ sibling 1×1 convs fused', passes: ['reorder-pool-branches', 'flatten-concats', 'fuse-sibling-convs'] },
];

/** Shapes are all the cost needs; a weight's values are never asked for. */
const shapesOnly: WeightProvider = {
  conv: () => {
    throw new Error('graph cost reads no weight values');
  },
  fc: () => {
    throw new Error('graph cost reads no weight values');
  },
};

function staticCost(passes: readonly GraphPassName[]): GraphCost {
  const graph = buildInceptionGraph(shapesOnly, { numClasses: IMAGENET_NUM_CLASSES, normalization: resolveNormalization({}, undefined) });
  return graphCost(applyGraphPasses(graph, passes));
}

function countDispatches(modelDir: string, env: Record<string, string>, kernels: 'stock' | 'ours'): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', `${ROOT}bench/graph/count-dispatches.ts`, modelDir, kernels];
    execFile(process.execPath, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (error || !last.startsWith('{')) reject(new Error(`counting dispatches failed: ${error?.message ?? ''}\n${stderr.trim().split('\n').slice(-10).join('\n')}`));
      else resolve((JSON.parse(last) as { dispatches: number }).dispatches);
    });
  });
}

export async function runGraphBenchmark(): Promise<GraphVariantResult[]> {
  const env = await lavapipeEnv();
  const dir = mkdtempSync(join(tmpdir(), 'iw-graph-'));
  try {
    const results: GraphVariantResult[] = [];
    for (const [i, variant] of GRAPH_VARIANTS.entries()) {
      const modelDir = join(dir, String(i));
      await convertSyntheticModel(modelDir, 'float32', { graphPasses: variant.passes });
      const [stock, ours] = [await countDispatches(modelDir, env, 'stock'), await countDispatches(modelDir, env, 'ours')];
      results.push({ ...variant, cost: staticCost(variant.passes), measuredDispatches: stock, measuredOursDispatches: ours });
      console.log(`graph: ${variant.label}: ${stock} dispatches on lavapipe, ${ours} with our kernels`);
    }
    writeResult('graph.json', `${JSON.stringify({ machine: machine(), results }, null, 2)}\n`);
    writeResult('graph.md', graphReport(results));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

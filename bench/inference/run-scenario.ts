/** Runs one scenario: load every contender, check it computes PyTorch's logits, then interleave. */
import { loadavg } from 'node:os';
import { maxAbsDiff, topK } from '../../tools/reference/logit-compare.js';
import { seedALogits } from '../../tools/reference/seed-a.js';
import { machine } from '../machine.js';
import { pairedRatio, summarize } from '../stats.js';
import type { Contender } from './contender.js';
import { interleave } from './interleave.js';
import type { BatchResult, ContenderResult, Ratio, Scenario, ScenarioResult } from './scenario.js';

const log = (message: string): void => console.log(`  ${message}`);

async function parity(contender: Contender): Promise<ContenderResult['parity']> {
  const logits = await contender.api.logits();
  const reference = seedALogits(0);
  return { maxAbsDiff: maxAbsDiff(logits, reference), top1: topK(logits, 1)[0] === topK(reference, 1)[0] };
}

/** Every contender's batches, measured interleaved, as BatchResults per contender. */
async function measureBatches(scenario: Scenario, contenders: readonly Contender[]): Promise<BatchResult[][]> {
  const perContender = contenders.map((): BatchResult[] => []);
  for (const plan of scenario.plan) {
    const samples = await interleave(contenders.map((c) => c.api), plan);
    samples.forEach((samplesMs, i) => perContender[i]?.push({ ...plan, samplesMs, ...summarize(samplesMs, plan.batch) }));
    log(`batch ${plan.batch}: ${contenders.map((c, i) => `${c.name} p50 ${summarize(samples[i] ?? [], plan.batch).p50Ms.toFixed(0)} ms`).join(', ')}`);
  }
  return perContender;
}

function ratios(contenders: readonly Contender[], batches: readonly BatchResult[][]): Ratio[] {
  const ours = contenders.findIndex((c) => c.role === 'ours');
  const oursBatches = batches[ours] ?? [];
  return contenders.flatMap((peer, i) => {
    if (peer.role !== 'peer') return [];
    return oursBatches.map((mine, j) => {
      const theirs = batches[i]?.[j] as BatchResult;
      return { peer: peer.name, batch: mine.batch, oursOverPeer: pairedRatio(mine.samplesMs, theirs.samplesMs), rounds: mine.rounds };
    });
  });
}

export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  console.log(`\n${scenario.id}: ${scenario.title}${scenario.emulated ? ` [emulated on CPU: ${scenario.emulated}]` : ''}`);
  const started = performance.now();
  const host = machine();
  const open = await scenario.open();
  try {
    const contenders: Contender[] = [];
    const loaded: Pick<ContenderResult, 'load' | 'info' | 'parity'>[] = [];
    const failures: ScenarioResult['failures'][number][] = [];
    for (const contender of open.contenders) {
      try {
        const load = await contender.api.load();
        log(`${contender.name}: loaded (${load.loads.map((l) => `${l.source} ${l.ms.toFixed(0)} ms`).join(', ')}), cold first inference ${load.coldFirstMs.toFixed(0)} ms`);
        loaded.push({ load, info: await contender.api.info(), parity: await parity(contender) });
        contenders.push(contender);
      } catch (error) {
        // A peer that cannot run here (an execution provider on SwiftShader, say) is reported, not fatal.
        if (contender.role === 'ours') throw error;
        log(`${contender.name}: FAILED, left out: ${String(error).split('\n')[0]}`);
        failures.push({ name: contender.name, error: String(error) });
      }
    }
    const batches = await measureBatches(scenario, contenders);
    const peakBatch = scenario.peakBatch === undefined ? Math.max(...scenario.plan.map((p) => p.batch)) : scenario.peakBatch;
    const results: ContenderResult[] = [];
    for (const [i, contender] of contenders.entries()) {
      const peak = peakBatch === null ? null : await contender.api.peakBackendMB(peakBatch);
      results.push({
        name: contender.name,
        role: contender.role,
        ...(loaded[i] as Pick<ContenderResult, 'load' | 'info' | 'parity'>),
        batches: batches[i] ?? [],
        peakBackend: peak === null || peakBatch === null ? null : { batch: peakBatch, mb: peak },
        memory: await contender.api.memory(),
      });
    }
    return {
      id: scenario.id,
      title: scenario.title,
      emulated: scenario.emulated ?? null,
      note: scenario.note ?? null,
      machine: host,
      loadAverageAfter: Number((loadavg()[0] ?? 0).toFixed(2)),
      wallSeconds: (performance.now() - started) / 1000,
      environment: open.environment,
      contenders: results,
      failures,
      ratios: ratios(contenders, batches),
    };
  } finally {
    await open.close();
  }
}

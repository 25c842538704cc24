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

export type Loaded = Pick<ContenderResult, 'load' | 'info' | 'parity' | 'parityWithOurs'> & { readonly logits: number[] };

async function loadAndCheck(contender: Contender): Promise<Loaded> {
  const load = await contender.api.load();
  log(`${contender.name}: loaded (${load.loads.map((l) => `${l.source} ${l.ms.toFixed(0)} ms`).join(', ')}), cold first inference ${load.coldFirstMs.toFixed(0)} ms`);
  const logits = await contender.api.logits();
  const reference = seedALogits(0);
  const parity = { maxAbsDiff: maxAbsDiff(logits, reference), top1: topK(logits, 1)[0] === topK(reference, 1)[0] };
  return { load, info: await contender.api.info(), parity, logits };
}

/**
 * A peer on our converter's output must compute our function: its |Δ| against our logits is
 * printed, and beyond its tolerance the scenario fails rather than time something else.
 */
export function checkAgainstOurs(contenders: readonly Contender[], loaded: Loaded[]): Loaded[] {
  const ours = loaded[contenders.findIndex((c) => c.role === 'ours')];
  return loaded.map((entry, i) => {
    const { name, parityWithOurs: tolerance } = contenders[i] as Contender;
    if (tolerance === undefined || !ours) return entry;
    const diff = maxAbsDiff(entry.logits, ours.logits);
    log(`${name}: max |Δlogit| vs ours = ${diff.toExponential(2)} (limit ${tolerance})`);
    if (!(diff <= tolerance)) throw new Error(`${name} disagrees with ours: max |Δlogit| ${diff.toExponential(2)} > ${tolerance}; it would not time the same function`);
    return { ...entry, parityWithOurs: { maxAbsDiff: diff, tolerance } };
  });
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
    let loaded: Loaded[] = [];
    const failures: ScenarioResult['failures'][number][] = [];
    for (const contender of open.contenders) {
      try {
        loaded.push(await loadAndCheck(contender));
        contenders.push(contender);
      } catch (error) {
        // A peer that cannot run here (an execution provider on SwiftShader, say) is reported, not fatal.
        if (contender.role === 'ours') throw error;
        log(`${contender.name}: FAILED, left out: ${String(error).split('\n')[0]}`);
        failures.push({ name: contender.name, error: String(error) });
      }
    }
    loaded = checkAgainstOurs(contenders, loaded);
    const batches = await measureBatches(scenario, contenders);
    const peakBatch = scenario.peakBatch === undefined ? Math.max(...scenario.plan.map((p) => p.batch)) : scenario.peakBatch;
    const results: ContenderResult[] = [];
    for (const [i, contender] of contenders.entries()) {
      const peak = peakBatch === null ? null : await contender.api.peakBackendMB(peakBatch);
      const { logits: _logits, ...checked } = loaded[i] as Loaded;
      results.push({
        name: contender.name,
        role: contender.role,
        ...checked,
        batches: batches[i] ?? [],
        peakBackend: peak === null || peakBatch === null ? null : { batch: peakBatch, mb: peak },
        memory: await contender.api.memory(),
      });
    }
    const measured = ratios(contenders, batches);
    for (const r of measured) log(`ours / ${r.peer}, batch ${r.batch}: ${r.oursOverPeer.toFixed(2)}× (median of ${r.rounds} paired rounds)`);
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
      ratios: measured,
    };
  } finally {
    await open.close();
  }
}

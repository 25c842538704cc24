import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../bench/inference/scenario.js';
import { formatMs, formatRate, formatRatio, markdownTable } from '../../bench/report/format.js';
import { liteRtTargetLines, targetLines, TARGET_SCENARIO } from '../../bench/report/inference-report.js';
import { barChartSvg, escapeXml, logScale, logTicks } from '../../bench/report/svg-chart.js';

describe('formats', () => {
  it('switches milliseconds to seconds when they get long', () => {
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(386.4)).toBe('386 ms');
    expect(formatMs(24_461)).toBe('24.5 s');
    expect(formatMs(Number.NaN)).toBe('–');
  });

  it('formats ratios and rates', () => {
    expect(formatRatio(1.256)).toBe('1.26×');
    expect(formatRate(2.617)).toBe('2.62 img/s');
    expect(formatRate(1007.4)).toBe('1007 img/s');
  });

  it('writes Markdown tables whose cells cannot break the row', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x | y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x \\| y |');
  });
});

describe('targets', () => {
  const withRatios = (torch: number, ort: number) =>
    ({
      id: TARGET_SCENARIO,
      ratios: [
        { peer: 'ORT-web wasm', batch: 1, oursOverPeer: ort, rounds: 15 },
        { peer: 'PyTorch CPU', batch: 1, oursOverPeer: torch, rounds: 15 },
      ],
    }) as unknown as ScenarioResult;

  it('judges ≤ 2× PyTorch and faster than ORT-web from the batch-1 ratios', () => {
    expect(targetLines([withRatios(1.5, 0.9)])).toEqual([
      '- ours / PyTorch CPU = 1.50× (target ≤ 2×): met',
      '- ours / ORT-web wasm = 0.90× (target < 1×, faster than ORT-web): met',
    ]);
    expect(targetLines([withRatios(3.4, 1.26)]).every((line) => line.endsWith('NOT met'))).toBe(true);
  });

  it('says how to measure when the scenario is missing', () => {
    expect(targetLines([])[0]).toContain(`npm run bench -- ${TARGET_SCENARIO}`);
  });
});

describe('targets against LiteRT.js', () => {
  const scenario = (id: string, ratio: number) =>
    ({ id, ratios: [{ peer: 'LiteRT.js wasm', batch: 1, oursOverPeer: ratio, rounds: 8 }, { peer: 'LiteRT.js wasm', batch: 8, oursOverPeer: 0.1, rounds: 2 }] }) as unknown as ScenarioResult;

  it('judges ≤ 0.9× on WASM and ≤ 1× on WebGPU from the batch-1 ratios, and says what was not measured', () => {
    expect(liteRtTargetLines([scenario('browser-wasm', 0.85), scenario('browser-wasm-threads', 1.21)])).toEqual([
      '- browser-wasm: ours / LiteRT.js = 0.85× (target ≤ 0.90×): met',
      '- browser-wasm-threads: ours / LiteRT.js = 1.21× (target ≤ 0.90×): NOT met',
      '- browser-webgpu: ours / LiteRT.js = – (target ≤ 1.00×): not measured',
    ]);
  });
});

describe('SVG chart', () => {
  it('puts 1-2-5 ticks on a log axis', () => {
    expect(logTicks(10, 1000)).toEqual([10, 20, 50, 100, 200, 500, 1000]);
    const x = logScale(10, 1000, 200);
    expect([x(10), x(100), x(1000)]).toEqual([0, 100, 200]);
  });

  it('escapes labels and marks emulated groups', () => {
    expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    const svg = barChartSvg('t', (v) => `${v} ms`, [
      { title: 'WASM', emulated: false, bars: [{ label: 'ours <wasm>', value: 300, ours: true }, { label: 'peer', value: 100, ours: false }] },
      { title: 'WebGPU', emulated: true, bars: [{ label: 'ours', value: 25_000, ours: true }] },
    ]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('ours &lt;wasm&gt;');
    expect(svg).toContain('WebGPU (emulated on the CPU, not GPU speed)');
    const widths = [...svg.matchAll(/width="([\d.]+)" height="16"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeGreaterThan(widths[1] as number);
    expect(widths[2]).toBeGreaterThan(widths[0] as number);
  });
});

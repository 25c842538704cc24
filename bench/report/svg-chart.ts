/**
 * A horizontal bar chart as a standalone SVG, on a log axis: latencies here span from tens of
 * milliseconds (native) to tens of seconds (emulated GPUs), which a linear axis would flatten.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Our own stack is drawn in the accent colour. */
  readonly ours: boolean;
}

export interface BarGroup {
  readonly title: string;
  /** Emulated-on-CPU groups are drawn grey and say so in their title. */
  readonly emulated: boolean;
  readonly bars: readonly Bar[];
}

const WIDTH = 900;
const LABEL_WIDTH = 300;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 120;
const BAR_HEIGHT = 16;
const ROW = 22;
const GROUP_GAP = 30;
const TOP = 70;

const COLOURS = { ours: '#d9480f', peer: '#1c7ed6', emulated: '#adb5bd' };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Axis ticks at 1, 2 and 5 times each power of ten inside [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(lo)); decade <= hi; decade *= 10) {
    for (const step of [1, 2, 5]) if (decade * step >= lo && decade * step <= hi) ticks.push(decade * step);
  }
  return ticks;
}

/** Maps a value to an x offset from the plot's left edge on a log scale over [lo, hi]. */
export function logScale(lo: number, hi: number, width: number): (value: number) => number {
  const span = Math.log10(hi) - Math.log10(lo);
  return (value) => (span === 0 ? width : ((Math.log10(value) - Math.log10(lo)) / span) * width);
}

export function barChartSvg(title: string, format: (value: number) => string, groups: readonly BarGroup[]): string {
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v > 0 && Number.isFinite(v));
  // A decade of headroom below the fastest bar, so that bar still has a visible length.
  const lo = 10 ** (Math.floor(Math.log10(values.length > 0 ? Math.min(...values) : 1)) - 1);
  const hi = Math.max(10 ** Math.ceil(Math.log10(values.length > 0 ? Math.max(...values) : 10)), lo * 10);
  const x = logScale(lo, hi, PLOT_WIDTH);
  const parts: string[] = [];
  let y = TOP;
  for (const group of groups) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escapeXml(group.emulated ? `${group.title} (emulated on the CPU, not GPU speed)` : group.title)}</text>`);
    y += 8;
    for (const bar of group.bars) {
      const colour = group.emulated ? COLOURS.emulated : bar.ours ? COLOURS.ours : COLOURS.peer;
      const width = Math.max(1, x(bar.value)).toFixed(1);
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${colour}"/>`,
        `<text x="${LABEL_WIDTH + Number(width) + 6}" y="${y + 12}">${escapeXml(format(bar.value))}</text>`,
      );
      y += ROW;
    }
    y += GROUP_GAP - ROW + BAR_HEIGHT;
  }
  const axis = logTicks(lo, hi).map((tick) => {
    const tx = (LABEL_WIDTH + x(tick)).toFixed(1);
    const grid = `<line x1="${tx}" y1="${TOP - 15}" x2="${tx}" y2="${y - GROUP_GAP + 10}" stroke="#dee2e6"/>`;
    // Only powers of ten are labelled: 1-2-5 labels would overlap.
    const decade = Number.isInteger(Math.log10(tick));
    return decade ? `${grid}<text x="${tx}" y="${y - GROUP_GAP + 24}" text-anchor="middle" fill="#868e96">${escapeXml(format(tick))}</text>` : grid;
  });
  const legend = [
    [COLOURS.ours, 'ours'],
    [COLOURS.peer, 'peers'],
    [COLOURS.emulated, 'emulated GPU (software on the CPU)'],
  ].map(([colour, text], i) => `<rect x="${10 + i * 120}" y="30" width="10" height="10" fill="${colour}"/><text x="${24 + i * 120}" y="39">${escapeXml(text as string)}</text>`);
  const height = y - GROUP_GAP + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...legend,
    ...axis,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

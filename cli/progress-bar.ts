/** The part of a Node writable stream the bar uses, so tests can pass a plain object. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** What the bar counts: bytes (shown as MB) or images. */
export type ProgressUnit = 'MB' | 'images';

export interface ProgressBarOptions {
  readonly label: string;
  /** Total bytes (or images), when known. */
  readonly total?: number;
  /** @default 'MB' */
  readonly unit?: ProgressUnit;
  readonly stream?: ProgressStream;
}

export interface ProgressBar {
  /** Reports `done` bytes (or images) so far. Cheap to call per chunk: output is throttled. */
  update(done: number): void;
  /** Prints the final state and ends the line. Idempotent. */
  finish(): void;
}

const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 20;
// Off a TTY (CI logs) only every quarter is printed, plus the final line.
const PLAIN_STEPS = 4;

export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const meter = { label: options.label, total: options.total, unit: options.unit ?? 'MB', started: performance.now(), done: 0 };
  const draw = stream.isTTY ? ttyDrawer(stream, meter) : plainDrawer(stream, meter);
  let finished = false;
  return {
    update(done) {
      if (finished) return;
      meter.done = done;
      draw(false);
    },
    finish() {
      if (finished) return;
      finished = true;
      draw(true);
    },
  };
}

interface Meter {
  readonly label: string;
  readonly total: number | undefined;
  readonly unit: ProgressUnit;
  readonly started: number;
  done: number;
}

type Drawer = (final: boolean) => void;

function ttyDrawer(stream: ProgressStream, meter: Meter): Drawer {
  let lastDraw = -Infinity;
  return (final) => {
    const now = performance.now();
    if (!final && now - lastDraw < REDRAW_INTERVAL_MS) return;
    lastDraw = now;
    // \r returns to the line start, \x1b[K clears what a longer previous line left behind.
    stream.write(`\r${ttyLine(meter, now)}\x1b[K${final ? '\n' : ''}`);
  };
}

function ttyLine(meter: Meter, now: number): string {
  const rate = `${amount(meter, meter.done / seconds(meter, now))} ${meter.unit}/s`;
  if (meter.total === undefined || meter.total <= 0) return `${meter.label} ${amount(meter, meter.done)} ${meter.unit} ${rate}`;
  const fraction = Math.min(1, meter.done / meter.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  const sizes = `${amount(meter, meter.done, 0)}/${amount(meter, meter.total, 0)} ${meter.unit}`;
  return `${meter.label} [${bar}] ${Math.floor(fraction * 100)}% ${sizes} ${rate}`;
}

function plainDrawer(stream: ProgressStream, meter: Meter): Drawer {
  let printedSteps = 0;
  return (final) => {
    if (final) {
      const elapsed = seconds(meter, performance.now());
      const rate = amount(meter, meter.done / elapsed);
      stream.write(`${meter.label}: done, ${amount(meter, meter.done, 0)} ${meter.unit} in ${elapsed.toFixed(1)} s (${rate} ${meter.unit}/s)\n`);
      return;
    }
    if (meter.total === undefined || meter.total <= 0) return;
    const steps = Math.min(PLAIN_STEPS - 1, Math.floor((meter.done / meter.total) * PLAIN_STEPS));
    if (steps <= printedSteps) return;
    printedSteps = steps;
    const percent = (steps * 100) / PLAIN_STEPS;
    stream.write(`${meter.label}: ${percent}% (${amount(meter, meter.done, 0)}/${amount(meter, meter.total, 0)} ${meter.unit})\n`);
  };
}

/** Elapsed seconds, never zero so rates stay finite. */
function seconds(meter: Meter, now: number): number {
  return Math.max(now - meter.started, 1) / 1000;
}

/** Bytes as MB with one decimal; images as a count (`digits` decimals, for a rate). */
function amount(meter: Meter, value: number, digits = 1): string {
  return meter.unit === 'MB' ? (value / 1e6).toFixed(1) : value.toFixed(digits);
}

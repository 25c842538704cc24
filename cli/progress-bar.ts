/** The part of a Node writable stream the bar uses, so tests can pass a plain object. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressBarOptions {
  readonly label: string;
  /** Total bytes, when known. */
  readonly total?: number;
  readonly stream?: ProgressStream;
}

export interface ProgressBar {
  /** Reports `done` bytes so far. Cheap to call per chunk: output is throttled. */
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
  const meter = { label: options.label, total: options.total, started: performance.now(), done: 0 };
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
  const rate = `${megabytes(meter.done / seconds(meter, now))} MB/s`;
  if (meter.total === undefined || meter.total <= 0) return `${meter.label} ${megabytes(meter.done)} MB ${rate}`;
  const fraction = Math.min(1, meter.done / meter.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  const sizes = `${megabytes(meter.done)}/${megabytes(meter.total)} MB`;
  return `${meter.label} [${bar}] ${Math.floor(fraction * 100)}% ${sizes} ${rate}`;
}

function plainDrawer(stream: ProgressStream, meter: Meter): Drawer {
  let printedSteps = 0;
  return (final) => {
    if (final) {
      const elapsed = seconds(meter, performance.now());
      const rate = megabytes(meter.done / elapsed);
      stream.write(`${meter.label}: done, ${megabytes(meter.done)} MB in ${elapsed.toFixed(1)} s (${rate} MB/s)\n`);
      return;
    }
    if (meter.total === undefined || meter.total <= 0) return;
    const steps = Math.min(PLAIN_STEPS - 1, Math.floor((meter.done / meter.total) * PLAIN_STEPS));
    if (steps <= printedSteps) return;
    printedSteps = steps;
    const percent = (steps * 100) / PLAIN_STEPS;
    stream.write(`${meter.label}: ${percent}% (${megabytes(meter.done)}/${megabytes(meter.total)} MB)\n`);
  };
}

/** Elapsed seconds, never zero so rates stay finite. */
function seconds(meter: Meter, now: number): number {
  return Math.max(now - meter.started, 1) / 1000;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

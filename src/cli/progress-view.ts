import type { Writable } from 'node:stream';
import type { ProgressListener } from '../pipeline/run/progress.js';

/** What shows a run's progress: the run's events, a pause for a question asked on the same stream, and the end. */
export interface ProgressView extends ProgressListener {
  /**
   * Runs `ask` (a question on the same terminal) with the drawing stopped and what was drawn
   * cleared, so that the question stays readable and the answer is typed on a clean line;
   * drawing starts again below it once `ask` has settled.
   */
  pausedWhile<T>(ask: () => Promise<T>): Promise<T>;
  /** Stops drawing, leaving the last picture. */
  stop(): void;
}

const rate = (rows: number, seconds: number): string => (seconds > 0 ? ` ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s` : '');
const duration = (seconds: number): string =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`
      : `${Math.round(seconds)}s`;

/** Bytes in B, KiB, MiB, GiB or TiB, one decimal from KiB up. */
function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One line per table start and finish: for logs and CI. */
export function lineProgress(out: Writable): ProgressView {
  return {
    pausedWhile: (ask) => ask(),
    stop: () => {},
    phase: (name) => out.write(`pgmask: ${name}\n`),
    tableStarted: (table) => out.write(`pgmask: ${table}: started\n`),
    tableFinished: (table, r) => out.write(`pgmask: ${table}: ${r.status}, ${r.rows} rows in ${r.seconds.toFixed(1)}s\n`),
  };
}

/** Options of `terminalProgress`. */
export interface TerminalProgressOptions {
  /** Milliseconds between two pictures; default 250. */
  readonly intervalMs?: number;
}

/**
 * Live bars on a terminal: one per running table, and an overall line. A table with a row
 * estimate (from the last ANALYZE) gets a bar and a percentage; one without (never analysed)
 * shows its rows and bytes only. The overall line counts tables, rows and bytes, with a bar,
 * a percentage and an ETA from the estimates where there are any.
 */
export function terminalProgress(out: Writable & { columns?: number }, options: TerminalProgressOptions = {}): ProgressView {
  const running = new Map<string, { rows: number; bytes: number; started: number; estimate: number }>();
  const estimates = new Map<string, number>();
  let tables = 0;
  let finished = 0;
  let totalEstimate = 0;
  /** Estimated rows of the finished tables, and rows and bytes they moved. */
  let doneEstimate = 0;
  let doneRows = 0;
  let doneBytes = 0;
  let phase = '';
  const started = performance.now();
  let drawn = 0;
  const bar = (fraction: number, width = 24): string => {
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${`${Math.floor(fraction * 100)}%`.padStart(4)}`;
  };
  const draw = (): void => {
    const lines: string[] = [];
    const elapsed = (performance.now() - started) / 1000;
    const live = [...running.values()];
    const rows = doneRows + live.reduce((sum, t) => sum + t.rows, 0);
    const bytes = doneBytes + live.reduce((sum, t) => sum + t.bytes, 0);
    // Only the tables with an estimate count towards the fraction, each at most to its estimate.
    const estimated = doneEstimate + live.reduce((sum, t) => sum + Math.min(t.rows, t.estimate), 0);
    const fraction = totalEstimate > 0 ? Math.min(1, estimated / totalEstimate) : undefined;
    const eta = fraction !== undefined && fraction > 0.01 && fraction < 1 ? ` ETA ${duration((elapsed / fraction) * (1 - fraction))}` : '';
    const overall = [phase.padEnd(10)];
    if (fraction !== undefined) overall.push(bar(fraction));
    if (tables > 0) overall.push(`${finished}/${tables} tables`);
    overall.push(`${rows.toLocaleString('en-US')} rows`, formatBytes(bytes));
    lines.push(`${overall.join(' ')}${rate(rows, elapsed)}${eta}`);
    for (const [table, t] of running) {
      const seconds = (performance.now() - t.started) / 1000;
      const progress = t.estimate > 0 ? bar(Math.min(1, t.rows / t.estimate), 12) : ''.padEnd(19);
      lines.push(`  ${table.slice(0, 32).padEnd(32)} ${progress} ${t.rows.toLocaleString('en-US')} rows ${formatBytes(t.bytes)}${rate(t.rows, seconds)}`);
    }
    const width = (out.columns || 100) - 1; // a terminal that does not know its size says 0
    out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l.slice(0, width)}`).join('\n')}\n\x1b[J`);
    drawn = lines.length;
  };
  let timer: NodeJS.Timeout | undefined;
  const start = (): void => {
    timer = setInterval(draw, options.intervalMs ?? 250);
    timer.unref();
  };
  const halt = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  start();
  return {
    planned: (planned) => {
      for (const t of planned) estimates.set(t.table, t.rowEstimate);
      tables = planned.length;
      totalEstimate = planned.reduce((sum, t) => sum + t.rowEstimate, 0);
    },
    phase: (name) => {
      phase = name;
    },
    tableStarted: (table) => running.set(table, { rows: 0, bytes: 0, started: performance.now(), estimate: estimates.get(table) ?? 0 }),
    tableProgress: (table, rows, bytes) => {
      const t = running.get(table);
      if (t) Object.assign(t, { rows, bytes });
    },
    tableFinished: (table, r) => {
      const t = running.get(table);
      running.delete(table);
      finished++;
      doneEstimate += t?.estimate ?? 0;
      doneRows += r.rows;
      doneBytes += t?.bytes ?? 0;
    },
    pausedWhile: async (ask) => {
      const wasDrawing = timer !== undefined;
      halt();
      // Clear the picture: the question starts where it began.
      if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[J`);
      drawn = 0;
      try {
        return await ask();
      } finally {
        if (wasDrawing) start();
      }
    },
    stop: () => {
      halt();
      draw();
    },
  };
}

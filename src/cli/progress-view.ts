import type { Writable } from 'node:stream';
import type { ProgressListener } from '../pipeline/run/progress.js';

const rate = (rows: number, seconds: number): string => (seconds > 0 ? `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s` : '');
const duration = (seconds: number): string =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`
      : `${Math.round(seconds)}s`;

/** One line per table start and finish: for logs and CI. */
export function lineProgress(out: Writable): ProgressListener & { stop(): void } {
  return {
    stop: () => {},
    phase: (name) => out.write(`pgmask: ${name}\n`),
    tableStarted: (table) => out.write(`pgmask: ${table}: started\n`),
    tableFinished: (table, r) => out.write(`pgmask: ${table}: ${r.status}, ${r.rows} rows in ${r.seconds.toFixed(1)}s\n`),
  };
}

/** Live bars on a terminal: one per running table, and an overall bar with an ETA from row estimates. */
export function terminalProgress(out: Writable & { columns?: number }): ProgressListener & { stop(): void } {
  const running = new Map<string, { rows: number; started: number; estimate: number }>();
  const estimates = new Map<string, number>();
  let totalEstimate = 0;
  let doneRows = 0;
  let phase = '';
  const started = performance.now();
  let drawn = 0;
  const bar = (fraction: number, width = 24): string => {
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  };
  const draw = (): void => {
    const lines: string[] = [];
    const elapsed = (performance.now() - started) / 1000;
    const rows = doneRows + [...running.values()].reduce((sum, t) => sum + t.rows, 0);
    const fraction = totalEstimate > 0 ? Math.min(1, rows / totalEstimate) : 0;
    const eta = fraction > 0.01 && fraction < 1 ? ` ETA ${duration((elapsed / fraction) * (1 - fraction))}` : '';
    lines.push(`${phase.padEnd(10)} ${bar(fraction)} ${rows.toLocaleString('en-US')} rows ${rate(rows, elapsed)}${eta}`);
    for (const [table, t] of running) {
      const seconds = (performance.now() - t.started) / 1000;
      lines.push(`  ${table.slice(0, 40).padEnd(40)} ${bar(t.estimate > 0 ? t.rows / t.estimate : 0, 12)} ${t.rows.toLocaleString('en-US')} rows ${rate(t.rows, seconds)}`);
    }
    const width = (out.columns ?? 100) - 1;
    out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l.slice(0, width)}`).join('\n')}\n\x1b[J`);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    planned: (tables) => {
      for (const t of tables) estimates.set(t.table, t.rowEstimate);
      totalEstimate = tables.reduce((sum, t) => sum + t.rowEstimate, 0);
    },
    phase: (name) => {
      phase = name;
    },
    tableStarted: (table) => running.set(table, { rows: 0, started: performance.now(), estimate: estimates.get(table) ?? 0 }),
    tableProgress: (table, rows) => {
      const t = running.get(table);
      if (t) t.rows = rows;
    },
    tableFinished: (table, r) => {
      running.delete(table);
      doneRows += r.rows;
    },
    stop: () => {
      clearInterval(timer);
      draw();
    },
  };
}

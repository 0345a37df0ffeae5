import type { RunReport, TableReport } from '../pipeline/run/report.js';

const count = (n: number): string => n.toLocaleString('en-US');
const rowCount = (n: number): string => `${count(n)} ${n === 1 ? 'row' : 'rows'}`;

/** Up to three table names in parentheses, and how many more. */
function names(tables: readonly TableReport[]): string {
  const shown = tables.slice(0, 3).map((t) => t.table);
  return ` (${shown.join(', ')}${tables.length > shown.length ? `, ${tables.length - shown.length} more` : ''})`;
}

/**
 * The outcome line: for a run that succeeded, its tables and rows; for one that failed or was
 * stopped, what came through (tables copied and their rows) and what did not: the table whose
 * failure stopped the run, the tables stopped with it, the tables never started.
 */
function outcomeLine(report: RunReport): string {
  const by = (test: (t: TableReport) => boolean): TableReport[] => report.tables.filter(test);
  const copied = by((t) => t.status === 'copied');
  const rows = rowCount(copied.reduce((sum, t) => sum + t.rows, 0));
  const skipped = by((t) => t.status === 'skipped').length;
  const schemaOnly = skipped ? `, ${skipped} schema only` : '';
  if (report.outcome === 'succeeded') return `succeeded: ${copied.length} table(s), ${rows}${schemaOnly}`;
  const culprit = report.outcome === 'failed' ? report.error?.table : undefined;
  const failed = by((t) => t.status === 'failed' && t.table === culprit);
  const stopped = by((t) => (t.status === 'failed' && t.table !== culprit) || t.status === 'running');
  const pending = by((t) => t.status === 'pending').length;
  const parts = [`${copied.length} table(s) copied (${rows})`];
  if (failed.length) parts.push(`${failed.length} failed${names(failed)}`);
  if (stopped.length) parts.push(`${stopped.length} stopped${names(stopped)}`);
  if (pending) parts.push(`${pending} not started`);
  return `${report.outcome}: ${parts.join(', ')}${schemaOnly}`;
}

/** A short human summary of a run report: one line per table, then the outcome. Empty when no table started. */
export function formatSummary(report: RunReport): string {
  if (report.tables.every((t) => t.status === 'pending' || t.status === 'skipped')) return '';
  const width = Math.min(48, Math.max(5, ...report.tables.map((t) => t.table.length)));
  const lines = [`${'table'.padEnd(width)}  ${'status'.padEnd(8)} ${'rows'.padStart(12)} ${'seconds'.padStart(8)}  masked columns`];
  for (const t of report.tables) {
    const masked = Object.entries(t.columns).filter(([, transform]) => transform !== 'keep');
    lines.push(`${t.table.slice(0, width).padEnd(width)}  ${t.status.padEnd(8)} ${count(t.rows).padStart(12)} ${t.seconds.toFixed(1).padStart(8)}  ${masked.length}`);
  }
  lines.push('', `${outcomeLine(report)}; key fingerprint ${report.key.fingerprint}`);
  if (report.droppedTables) lines.push(`the ${report.droppedTables} table(s) this run made in the target were dropped again: none keeps part of the copy`);
  for (const w of report.warnings) lines.push(`warning: ${w.code} ${w.message}`);
  return `${lines.join('\n')}\n`;
}

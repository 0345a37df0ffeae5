import type { RunReport } from '../pipeline/run/report.js';

/** A short human summary of a run report: one line per table, then the outcome. Empty when no table started. */
export function formatSummary(report: RunReport): string {
  if (report.tables.every((t) => t.status === 'pending' || t.status === 'skipped')) return '';
  const width = Math.min(48, Math.max(5, ...report.tables.map((t) => t.table.length)));
  const lines = [`${'table'.padEnd(width)}  ${'status'.padEnd(8)} ${'rows'.padStart(12)} ${'seconds'.padStart(8)}  masked columns`];
  for (const t of report.tables) {
    const masked = Object.entries(t.columns).filter(([, transform]) => transform !== 'keep');
    lines.push(
      `${t.table.slice(0, width).padEnd(width)}  ${t.status.padEnd(8)} ${t.rows.toLocaleString('en-US').padStart(12)} ${t.seconds.toFixed(1).padStart(8)}  ${masked.length}`,
    );
  }
  const rows = report.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push(
    '',
    `${report.outcome}: ${report.tables.filter((t) => t.status === 'copied').length} table(s), ${rows.toLocaleString('en-US')} rows; key fingerprint ${report.key.fingerprint}`,
  );
  for (const w of report.warnings) lines.push(`warning: ${w.code} ${w.message}`);
  return `${lines.join('\n')}\n`;
}

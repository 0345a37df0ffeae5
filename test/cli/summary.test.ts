import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/summary.js';
import type { RunReport, TableReport } from '../../src/pipeline/run/report.js';

const table = (name: string, status: TableReport['status'], rows = 0): TableReport => ({
  table: name,
  status,
  rows,
  bytes: rows * 10,
  seconds: 0.5,
  columns: { id: 'keep', email: 'email' },
});

function report(command: RunReport['command'], outcome: RunReport['outcome'], tables: TableReport[], extra: Partial<RunReport> = {}): RunReport {
  return {
    pgmask: 'test',
    command,
    startedAt: '2025-01-01T00:00:00.000Z',
    outcome,
    rules: { file: 'rules.yaml', sha256: '0'.repeat(64) },
    key: { fingerprint: 'b9ed5f190ffcddf5' },
    tables,
    warnings: [],
    ...extra,
  };
}

/** The summary's outcome line (the one after the blank line), and what follows it. */
const outcome = (summary: string): string[] => summary.split('\n\n')[1]!.trimEnd().split('\n');

describe('formatSummary', () => {
  it('says how many tables and rows a run that succeeded moved, and the tables kept schema only', () => {
    const tables = [table('public.customers', 'copied', 5000), table('public.orders', 'copied', 2452), table('public.audit_log', 'skipped')];
    expect(outcome(formatSummary(report('copy', 'succeeded', tables)))).toEqual(['succeeded: 2 table(s), 7,452 rows, 1 schema only; key fingerprint b9ed5f190ffcddf5']);
  });

  it('says, for a copy that failed, what was copied, which table failed, which were stopped with it and how many never started', () => {
    const tables = [
      table('public.customers', 'copied', 5000),
      table('public.contacts', 'copied', 2000),
      table('public.invoices', 'copied', 452),
      table('public.orders', 'failed', 1200),
      table('public.events', 'failed', 300),
      table('public.notes', 'pending'),
      table('public.tags', 'pending'),
    ];
    const failed = report('copy', 'failed', tables, { error: { code: 'TRANSFORM', message: 'table public.orders, column email, line 1201: …', table: 'public.orders' } });
    expect(outcome(formatSummary(failed))).toEqual([
      'failed: 3 table(s) copied (7,452 rows), 1 failed (public.orders), 1 stopped (public.events), 2 not started; key fingerprint b9ed5f190ffcddf5',
    ]);
  });

  it('counts the rows of copied tables only, not the rows a failed table had loaded', () => {
    const failed = report('copy', 'failed', [table('public.a', 'copied', 10), table('public.b', 'failed', 990)], { error: { code: 'DATABASE', message: 'x', table: 'public.b' } });
    expect(outcome(formatSummary(failed))[0]).toMatch(/^failed: 1 table\(s\) copied \(10 rows\), 1 failed \(public\.b\);/);
  });

  it('says the tables a failed copy made were dropped again, when they were', () => {
    const tables = [table('public.a', 'copied', 10), table('public.b', 'failed')];
    const error = { code: 'DATABASE', message: 'x', table: 'public.b' };
    expect(outcome(formatSummary(report('copy', 'failed', tables, { error, droppedTables: 3 })))[1]).toBe(
      'the 3 table(s) this run made in the target were dropped again: none keeps part of the copy',
    );
    expect(outcome(formatSummary(report('copy', 'failed', tables, { error })))).toHaveLength(1);
  });

  it('calls every table a stopped run did not finish stopped, none failed', () => {
    const tables = [table('public.a', 'copied', 10), table('public.b', 'failed', 5), table('public.c', 'running', 7), table('public.d', 'pending')];
    const interrupted = report('copy', 'interrupted', tables, { error: { code: 'INTERRUPTED', message: 'stopped by SIGINT', table: 'public.b' } });
    expect(outcome(formatSummary(interrupted))[0]).toBe(
      'interrupted: 1 table(s) copied (10 rows), 2 stopped (public.b, public.c), 1 not started; key fingerprint b9ed5f190ffcddf5',
    );
  });

  it('names three tables at most', () => {
    const tables = ['a', 'b', 'c', 'd', 'e'].map((n) => table(`public.${n}`, 'failed'));
    const interrupted = report('dump', 'interrupted', [table('public.z', 'copied', 1), ...tables]);
    expect(outcome(formatSummary(interrupted))[0]).toMatch(/^interrupted: 1 table\(s\) copied \(1 row\), 5 stopped \(public\.a, public\.b, public\.c, 2 more\);/);
  });

  it('says the same for a dump and a mask run (a mask run knows no table it has not reached)', () => {
    const dump = report('dump', 'failed', [table('public.a', 'copied', 3), table('public.b', 'failed'), table('public.c', 'pending')], {
      error: { code: 'OUTPUT_CLOSED', message: 'x', table: 'public.b' },
    });
    expect(outcome(formatSummary(dump))[0]).toMatch(/^failed: 1 table\(s\) copied \(3 rows\), 1 failed \(public\.b\), 1 not started;/);
    const mask = report('mask', 'failed', [table('public.a', 'copied', 3), table('public.b', 'failed', 2)], { error: { code: 'COPY_FORMAT', message: 'x', table: 'public.b' } });
    expect(outcome(formatSummary(mask))[0]).toMatch(/^failed: 1 table\(s\) copied \(3 rows\), 1 failed \(public\.b\); key/);
  });

  it('is empty when no table started', () => {
    expect(formatSummary(report('copy', 'failed', [table('public.a', 'pending'), table('public.b', 'skipped')]))).toBe('');
  });
});

import type { Rules } from '../../config/rules.js';
import type { SubjectErasure } from './erase-subject.js';
import type { SubjectExport } from './export-subject.js';
import type { SubjectFindings } from './find-subject.js';

/**
 * The audit record of a data-subject request (`--audit FILE`): when, which command, what the
 * person was found by (its kind, never its value), which rules (sha256), which source, and per
 * table the number of rows found, exported, deleted, masked or retained, with the reasons rows
 * were retained. Counts only: no value of the data and no primary key.
 */
export interface SubjectAudit {
  readonly at: string;
  readonly command: 'find' | 'export' | 'erase';
  /** `personnummer`, `email`, `phone` or `where`. */
  readonly by: SubjectFindings['by'];
  readonly rules: { readonly file: string; readonly sha256: string };
  readonly source: string;
  /** Whether the erasure ran (erase only; find and export change nothing). */
  readonly executed: boolean;
  readonly tables: readonly {
    readonly table: string;
    readonly found: number;
    readonly exported?: number;
    readonly policy?: 'delete' | 'mask' | 'retain';
    readonly deleted?: number;
    readonly masked?: number;
    readonly retained?: number;
  }[];
  /** The tables whose rows were kept, and why (the rules' `subject: { retain: reason }`). */
  readonly retained: readonly { readonly table: string; readonly rows: number; readonly reason: string }[];
  readonly summary: { readonly tables: number; readonly found: number; readonly exported: number; readonly deleted: number; readonly masked: number; readonly retained: number };
}

const base = (command: SubjectAudit['command'], findings: SubjectFindings, rules: Rules) => ({
  at: new Date().toISOString(),
  command,
  by: findings.by,
  rules: { file: rules.file, sha256: rules.sha256 },
  source: findings.source,
});

const sum = (tables: SubjectAudit['tables'], field: 'found' | 'exported' | 'deleted' | 'masked' | 'retained'): number => tables.reduce((n, t) => n + (t[field] ?? 0), 0);

function summary(tables: SubjectAudit['tables']): SubjectAudit['summary'] {
  return {
    tables: tables.length,
    found: sum(tables, 'found'),
    exported: sum(tables, 'exported'),
    deleted: sum(tables, 'deleted'),
    masked: sum(tables, 'masked'),
    retained: sum(tables, 'retained'),
  };
}

/** The audit record of `subject find` (or of `subject export`, with its document: rows exported per table). */
export function findAudit(findings: SubjectFindings, rules: Rules, exported?: SubjectExport): SubjectAudit {
  const exportedRows = new Map(exported?.tables.map((t) => [t.table, t.rows.length]));
  const tables = findings.tables.map((t) => ({ table: t.table, found: t.rows.length, ...(exported ? { exported: exportedRows.get(t.table) ?? 0 } : {}) }));
  return { ...base(exported ? 'export' : 'find', findings, rules), executed: false, tables, retained: [], summary: summary(tables) };
}

/** The audit record of `subject erase`: planned (executed false) or done. */
export function eraseAudit(erasure: SubjectErasure, rules: Rules): SubjectAudit {
  const tables = erasure.tables.map((t) => ({ table: t.table, found: t.found, policy: t.policy.kind, deleted: t.deleted, masked: t.masked, retained: t.retained }));
  const retained = erasure.tables.flatMap((t) => (t.policy.kind === 'retain' ? [{ table: t.table, rows: t.retained, reason: t.policy.reason }] : []));
  return { ...base('erase', erasure.findings, rules), executed: erasure.executed, tables, retained, summary: summary(tables) };
}

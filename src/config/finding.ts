import { quoteIdent } from '../catalog/names.js';
import type { FilePosition } from '../errors.js';

/** How bad a finding is: errors fail validation, warnings and infos do not. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem (or remark) found while validating rules, alone or against a catalog.
 * Validation collects findings instead of throwing at the first one. Messages are built
 * from names and positions only, never from values in the data.
 */
export interface Finding {
  readonly severity: Severity;
  /** Stable, machine-readable code, e.g. `RULES_UNKNOWN_KEY` or `COLUMN_WITHOUT_RULE`. */
  readonly code: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
  /** Where in the rules file, when the finding points at it. */
  readonly file?: FilePosition;
  /** `schema.table` as `tableKey` prints it. */
  readonly table?: string;
  /** The exact column name. */
  readonly column?: string;
}

/** Counts of findings by severity. */
export interface FindingSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** Counts findings by severity. */
export function summarize(findings: readonly Finding[]): FindingSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** Whether any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** `schema.table.column` for a finding's catalog location (the column quoted when it needs it), or undefined. */
export function findingTarget(finding: Finding): string | undefined {
  if (!finding.table) return undefined;
  return finding.column === undefined ? finding.table : `${finding.table}.${quoteIdent(finding.column)}`;
}

/**
 * One line per finding, as a compiler prints it:
 * `rules.yaml:12:7: error RULES_UNKNOWN_KEY message` or `public.customers.email: error CODE message`.
 */
export function formatFinding(finding: Finding): string {
  const where = finding.file ? `${finding.file.file}:${finding.file.line}:${finding.file.column}` : findingTarget(finding);
  return `${where ? `${where}: ` : ''}${finding.severity} ${finding.code} ${finding.message}`;
}

/** Orders findings by file position, then table and column, errors before warnings at the same place. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  // By code unit, not locale: the order must not depend on the machine.
  const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      (a.file ? 0 : 1) - (b.file ? 0 : 1) ||
      compare(a.file?.file ?? '', b.file?.file ?? '') ||
      (a.file?.line ?? 0) - (b.file?.line ?? 0) ||
      (a.file?.column ?? 0) - (b.file?.column ?? 0) ||
      compare(a.table ?? '', b.table ?? '') ||
      compare(a.column ?? '', b.column ?? '') ||
      rank[a.severity] - rank[b.severity],
  );
}

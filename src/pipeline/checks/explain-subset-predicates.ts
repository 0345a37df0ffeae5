import { tableKey } from '../../catalog/table-key.js';
import type { Catalog } from '../../catalog/types.js';
import type { Finding } from '../../config/finding.js';
import type { SubsetRules } from '../../config/rules.js';
import { type Session, safeErrorMessage } from '../../db/connection.js';
import type { FilePosition } from '../../errors.js';

/** A `where:` of `subset:` and what it is written on. */
interface Predicate {
  readonly table: string;
  readonly sql: string;
  readonly what: string;
  readonly file: FilePosition;
}

/**
 * Checks the SQL predicates of `subset:` (roots' and virtual keys' `where:`) without reading a
 * row: `EXPLAIN SELECT 1 FROM ONLY <table> WHERE (<predicate>)` for each, in the caller's open
 * (read-only) transaction, each under a savepoint so that one failing leaves the others to run.
 * A predicate the server refuses (a syntax error, an unknown column or function) is a
 * SUBSET_BAD_PREDICATE error with the server's message, stripped of quoted literals. Predicates
 * on tables the catalog does not hold are left out (`checkRules` reports those tables). Each
 * statement goes over the extended protocol, so a predicate cannot end it and start another.
 */
export async function explainSubsetPredicates(session: Session, subset: SubsetRules, catalog: Catalog): Promise<Finding[]> {
  const predicates: Predicate[] = [
    ...subset.roots.flatMap((r) => (r.where === undefined ? [] : [{ table: r.table, sql: r.where, what: `the where: of root ${r.table}`, file: r.position }])),
    ...subset.virtualKeys.flatMap((k) =>
      k.where === undefined ? [] : [{ table: k.table, sql: k.where, what: `the where: of virtual key ${k.name} (on ${k.table})`, file: k.position }],
    ),
  ];
  const findings: Finding[] = [];
  for (const predicate of predicates) {
    const table = catalog.tables.find((t) => tableKey(t.schema, t.name) === predicate.table);
    if (!table) continue;
    await session.query('SAVEPOINT pgmask_predicate');
    try {
      await session.queryOneStatement(`EXPLAIN SELECT 1 FROM ONLY ${table.sqlName} WHERE (${predicate.sql}\n)`); // the line break ends a trailing -- comment
      await session.query('RELEASE SAVEPOINT pgmask_predicate');
    } catch (error) {
      if (!(error as { severity?: unknown }).severity) throw error;
      await session.query('ROLLBACK TO SAVEPOINT pgmask_predicate');
      findings.push({
        severity: 'error',
        code: 'SUBSET_BAD_PREDICATE',
        message: `${predicate.what} does not run: ${safeErrorMessage(error)}; write an SQL condition on the table's columns, without an alias`,
        table: predicate.table,
        file: predicate.file,
      });
    }
  }
  return findings;
}

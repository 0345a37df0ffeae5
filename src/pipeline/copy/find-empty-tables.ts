import type { Session } from '../../db/connection.js';
import type { TablePlan } from '../run/table-plan.js';

/** Tables looked at in one statement. */
const TABLES_PER_QUERY = 500;

/**
 * The plain tables among `plans` that hold no row in `source`'s snapshot (the run's: exact,
 * whatever the statistics say), a few hundred a round trip: each costs the first page of its
 * table at most. The copy skips their COPY. When the server refuses to look (a row security
 * policy, a privilege missing), no table is called empty and every COPY runs, to fail there,
 * naming its table: a savepoint keeps the snapshot's transaction usable.
 */
export async function findEmptyTables(source: Session, plans: readonly TablePlan[]): Promise<Set<string>> {
  const plain = plans.filter((p) => p.table.kind === 'table');
  const empty = new Set<string>();
  if (!plain.length) return empty;
  await source.query('SAVEPOINT pgmask_empty_tables');
  try {
    for (let from = 0; from < plain.length; from += TABLES_PER_QUERY) {
      const some = plain.slice(from, from + TABLES_PER_QUERY);
      const rows = await source.query<{ i: number }>(some.map((p, i) => `SELECT ${i} AS i WHERE NOT EXISTS (SELECT 1 FROM ONLY ${p.table.sqlName})`).join(' UNION ALL '));
      for (const { i } of rows) empty.add(some[i]!.key);
    }
    await source.query('RELEASE SAVEPOINT pgmask_empty_tables');
    return empty;
  } catch {
    await source.query('ROLLBACK TO SAVEPOINT pgmask_empty_tables');
    return new Set();
  }
}

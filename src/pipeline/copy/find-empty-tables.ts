import type { Session } from '../../db/connection.js';
import { selectEach } from '../../db/select-each.js';
import type { TablePlan } from '../run/table-plan.js';

/** Tables looked at in one statement (here and by inspectTarget). */
export const TABLES_PER_QUERY = 500;

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
    for (const { item } of await selectEach(source, plain, TABLES_PER_QUERY, (p) => ` WHERE NOT EXISTS (SELECT 1 FROM ONLY ${p.table.sqlName})`)) empty.add(item.key);
    await source.query('RELEASE SAVEPOINT pgmask_empty_tables');
    return empty;
  } catch {
    await source.query('ROLLBACK TO SAVEPOINT pgmask_empty_tables');
    return new Set();
  }
}

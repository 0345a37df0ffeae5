import type { Session } from '../../db/connection.js';
import type { TablePlan } from './table-plan.js';

/**
 * Opens the run's one picture of the source on `source`: a REPEATABLE READ, READ ONLY
 * transaction with row security off (a policy that would hide rows is an error, not a partial
 * copy), whose snapshot it exports for every other connection to import; the planned tables are
 * locked as pg_dump locks them, so that none is dropped or altered while the run reads it.
 * Returns the snapshot's name. The caller commits once the run has read all it needs.
 */
export async function exportSnapshot(source: Session, plans: readonly TablePlan[], readWrite = false): Promise<string> {
  // READ WRITE only for a subset's selection, which lives in temporary tables: nothing else is written.
  await source.query(`BEGIN ISOLATION LEVEL REPEATABLE READ${readWrite ? '' : ', READ ONLY'}`);
  await source.query('SET row_security = off');
  const [exported] = await source.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
  if (plans.length) await source.query(`LOCK TABLE ${plans.map((p) => `ONLY ${p.table.sqlName}`).join(', ')} IN ACCESS SHARE MODE`);
  return exported!.snapshot;
}

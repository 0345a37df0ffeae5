import { sqlIdent } from '../../catalog/names.js';
import type { Catalog } from '../../catalog/types.js';
import type { Session } from '../../db/connection.js';
import { PgmaskError } from '../../errors.js';
import type { TablePlan } from '../run/table-plan.js';

/**
 * Proves that every foreign key of the copied tables that holds on the source (validated there)
 * holds on the target too, whatever keys and indexes the target has.
 *
 * Each key is one count of the rows that point nowhere, not an EXISTS: under EXISTS the planner
 * bets on finding such a row early, and on freshly loaded tables without the referenced index
 * it picks a nested loop that, when no row points nowhere, compares every row with every row
 * (2,000,000 with 1,000,000: hours). A count is planned for the whole scan: a hash anti join.
 */
export async function verifyForeignKeys(target: Session, plans: readonly TablePlan[], catalog: Catalog): Promise<void> {
  for (const plan of plans) {
    for (const fk of plan.table.foreignKeys) {
      const referenced = catalog.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
      if (!referenced || !fk.validated) continue;
      const notNull = fk.columns.map((c) => `c.${sqlIdent(c)} IS NOT NULL`).join(' AND ');
      const join = fk.columns.map((c, i) => `p.${sqlIdent(fk.referencedColumns[i]!)} = c.${sqlIdent(c)}`).join(' AND ');
      const [row] = await target.query<{ dangling: string }>(
        `SELECT count(*) AS dangling FROM ${plan.loadInto === plan.table.sqlName ? `ONLY ${plan.table.sqlName}` : plan.table.sqlName} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${referenced.sqlName} p WHERE ${join})`,
      );
      const dangling = Number(row?.dangling ?? 0);
      if (dangling > 0) {
        const rows = dangling === 1 ? '1 row' : `${dangling} rows`;
        throw new PgmaskError('FOREIGN_KEY', `table ${plan.key}: ${rows} whose foreign key ${sqlIdent(fk.name)} points at no row of ${referenced.sqlName}`);
      }
    }
  }
}

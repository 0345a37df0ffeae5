import { sqlIdent } from '../catalog/names.js';
import type { Catalog } from '../catalog/types.js';
import type { Session } from '../db/connection.js';
import { PgmaskError } from '../errors.js';
import type { TablePlan } from './plan.js';

/** Proves that every foreign key of the copied tables holds on the target. */
export async function verifyForeignKeys(target: Session, plans: readonly TablePlan[], catalog: Catalog): Promise<void> {
  for (const plan of plans) {
    for (const fk of plan.table.foreignKeys) {
      const referenced = catalog.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
      if (!referenced) continue;
      const notNull = fk.columns.map((c) => `c.${sqlIdent(c)} IS NOT NULL`).join(' AND ');
      const join = fk.columns.map((c, i) => `p.${sqlIdent(fk.referencedColumns[i]!)} = c.${sqlIdent(c)}`).join(' AND ');
      const [row] = await target.query<{ dangling: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${plan.loadInto === plan.table.sqlName ? `ONLY ${plan.table.sqlName}` : plan.table.sqlName} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${referenced.sqlName} p WHERE ${join})) AS dangling`,
      );
      if (row?.dangling) {
        throw new PgmaskError('FOREIGN_KEY', `table ${plan.key}: rows whose foreign key ${sqlIdent(fk.name)} points at no row of ${referenced.sqlName}`);
      }
    }
  }
}


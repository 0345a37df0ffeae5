import { sqlIdent } from '../../catalog/names.js';
import type { Catalog, ForeignKey, Table } from '../../catalog/types.js';
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
 * The counts of up to 100 keys go to the server in one statement.
 */
export async function verifyForeignKeys(target: Session, plans: readonly TablePlan[], catalog: Catalog): Promise<void> {
  const checks: { plan: TablePlan; fk: ForeignKey; referenced: Table; count: string }[] = [];
  for (const plan of plans) {
    for (const fk of plan.table.foreignKeys) {
      const referenced = catalog.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
      if (!referenced || !fk.validated) continue;
      const notNull = fk.columns.map((c) => `c.${sqlIdent(c)} IS NOT NULL`).join(' AND ');
      const join = fk.columns.map((c, i) => `p.${sqlIdent(fk.referencedColumns[i]!)} = c.${sqlIdent(c)}`).join(' AND ');
      const count = `SELECT count(*) FROM ${plan.loadInto === plan.table.sqlName ? `ONLY ${plan.table.sqlName}` : plan.table.sqlName} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${referenced.sqlName} p WHERE ${join})`;
      checks.push({ plan, fk, referenced, count });
    }
  }
  // Many keys a round trip: each count a row of one statement, in order.
  for (let from = 0; from < checks.length; from += KEYS_PER_QUERY) {
    const some = checks.slice(from, from + KEYS_PER_QUERY);
    const rows = await target.query<{ i: number; dangling: string }>(some.map((c, i) => `SELECT ${i} AS i, (${c.count}) AS dangling`).join(' UNION ALL '));
    const dangling = new Map(rows.map((r) => [r.i, Number(r.dangling)]));
    for (const [i, { plan, fk, referenced }] of some.entries()) {
      const n = dangling.get(i) ?? 0;
      if (n > 0) {
        const rowsText = n === 1 ? '1 row' : `${n} rows`;
        throw new PgmaskError('FOREIGN_KEY', `table ${plan.key}: ${rowsText} whose foreign key ${sqlIdent(fk.name)} points at no row of ${referenced.sqlName}`);
      }
    }
  }
}

/** Foreign keys counted in one statement. */
const KEYS_PER_QUERY = 100;

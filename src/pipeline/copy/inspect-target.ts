import { quoteIdent } from '../../catalog/names.js';
import { readCatalog } from '../../catalog/read-catalog.js';
import type { Catalog, Table } from '../../catalog/types.js';
import { type Session, safeErrorMessage } from '../../db/connection.js';
import { selectEach } from '../../db/select-each.js';
import { DatabaseError, ExitCode, PgmaskError } from '../../errors.js';
import type { TablePlan } from '../run/table-plan.js';
import { TABLES_PER_QUERY } from './find-empty-tables.js';

/** What the target holds of the planned tables, and the schema mode that follows. */
export interface TargetInspection {
  readonly mode: 'create' | 'existing';
  readonly catalog: Catalog;
  /** Planned tables the target already has. */
  readonly present: readonly TablePlan[];
  /** Keys of the tables a run would overwrite: all present ones in create mode, those holding rows in existing mode. */
  readonly nonEmpty: readonly string[];
}

function sameTable(a: Table, b: Table): boolean {
  return a.schema === b.schema && a.name === b.name;
}

/** Checks the target: which planned tables exist there, whether they hold rows, whether their columns match. */
export async function inspectTarget(target: Session, plans: readonly TablePlan[], requested: 'create' | 'existing' | undefined): Promise<TargetInspection> {
  const catalog = await readCatalog(target);
  const present = plans.filter((p) => catalog.tables.some((t) => sameTable(t, p.table)));
  const mode: 'create' | 'existing' = requested ?? (present.length === 0 ? 'create' : 'existing');
  if (mode === 'existing') {
    const problems: string[] = [];
    for (const plan of plans) {
      const table = catalog.tables.find((t) => sameTable(t, plan.table));
      if (!table) {
        problems.push(`${plan.key}: missing on the target`);
        continue;
      }
      for (const column of plan.columns) {
        const there = table.columns.find((c) => c.name === column.name);
        if (!there) problems.push(`${plan.key}.${quoteIdent(column.name)}: missing on the target`);
        else if (there.type !== column.type) problems.push(`${plan.key}.${quoteIdent(column.name)}: ${there.type} on the target, ${column.type} on the source`);
        else if (there.generated && !column.generated) problems.push(`${plan.key}.${quoteIdent(column.name)}: generated on the target only`);
      }
      // A column only the target has gets NULL or its default: NOT NULL without a default would fail every row, after the truncation.
      for (const there of plan.skip ? [] : table.columns) {
        if (there.notNull && !there.hasDefault && !there.identity && !there.generated && !plan.columns.some((c) => c.name === there.name)) {
          problems.push(`${plan.key}.${quoteIdent(there.name)}: NOT NULL without a default, only on the target (no row could be loaded)`);
        }
      }
    }
    if (problems.length) {
      throw new PgmaskError('SCHEMA_DRIFT', `the target schema differs from the source (--schema existing):\n  ${problems.slice(0, 20).join('\n  ')}`, ExitCode.validation);
    }
    // Rows are loaded with triggers and foreign keys off: find out now, before a table is emptied, whether the role may.
    try {
      await target.query('SET session_replication_role = replica');
      await target.query('RESET session_replication_role');
    } catch (error) {
      throw new DatabaseError(
        'TARGET_ROLE',
        `--schema existing loads rows with triggers off (session_replication_role = replica), which the target role may not set (${safeErrorMessage(error)}); connect as a superuser, or GRANT SET ON PARAMETER session_replication_role TO the role (PostgreSQL 15 or later)`,
      );
    }
  }
  // In create mode the tables a previous run made are dropped and made anew: they count as overwritten.
  const nonEmpty: string[] = mode === 'create' ? present.map((p) => p.key) : [];
  // A few hundred tables a round trip: the ones that hold a row, in plan order.
  const existing = mode === 'existing' ? present : [];
  for (const { item } of await selectEach(target, existing, TABLES_PER_QUERY, (p) => ` WHERE EXISTS (SELECT 1 FROM ONLY ${p.table.sqlName})`)) nonEmpty.push(item.key);
  return { mode, catalog, present, nonEmpty };
}

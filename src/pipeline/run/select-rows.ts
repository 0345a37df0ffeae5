import type { Catalog } from '../../catalog/types.js';
import type { SubsetRules } from '../../config/rules.js';
import { type Session, safeErrorMessage } from '../../db/connection.js';
import { temporaryTablesRefused } from '../../db/temporary-tables-refused.js';
import { ExitCode } from '../../errors.js';
import { referenceGraph } from '../../subset/reference-graph.js';
import { type SubsetSelection, selectSubset } from '../../subset/select-subset.js';
import { SubsetError } from '../../subset/subset-error.js';
import { subsetReadSql } from '../../subset/subset-read-sql.js';
import type { SubsetSpec, VirtualKey } from '../../subset/subset-spec.js';
import type { SubsetReport } from './report.js';
import type { TablePlan } from './table-plan.js';

/** The virtual keys of a `subset:` section as the subset room reads them (none without one). */
export function virtualKeysOf(rules: SubsetRules | undefined): VirtualKey[] {
  return (rules?.virtualKeys ?? []).map((v) => ({
    name: v.name,
    table: v.table,
    columns: v.columns,
    references: v.references,
    ...(v.referencedColumns ? { referencedColumns: v.referencedColumns } : {}),
    ...(v.where !== undefined ? { where: v.where } : {}),
  }));
}

/** The rules file's `subset:` section as the subset room reads it. */
function specOf(rules: SubsetRules): SubsetSpec {
  return {
    roots: rules.roots.map((r) => ({
      table: r.table,
      ...(r.where !== undefined ? { where: r.where } : {}),
      ...(r.limit !== undefined ? { limit: r.limit } : {}),
      ...(r.percent !== undefined ? { percent: r.percent } : {}),
    })),
    children:
      rules.children === 'all' || rules.children === 'none'
        ? rules.children
        : rules.children.map((c) => ({ table: c.table, foreignKey: c.foreignKey, ...(c.limitPerParent !== undefined ? { limitPerParent: c.limitPerParent } : {}) })),
    virtualKeys: virtualKeysOf(rules),
    whole: rules.whole,
    empty: rules.empty,
    nullOutside: rules.nullOutside.map((n) => ({ table: n.table, foreignKey: n.foreignKey })),
  };
}

/**
 * Selects the rows a `subset:` section asks for, in the source session's transaction (REPEATABLE
 * READ, READ WRITE: the selection lives in temporary tables of that session, and the copy must read
 * through the same session). Undefined when the rules take every row.
 */
export async function selectRows(source: Session, catalog: Catalog, rules: SubsetRules | undefined): Promise<SubsetSelection | undefined> {
  if (!rules) return undefined;
  const graph = referenceGraph(catalog, specOf(rules));
  try {
    return await selectSubset(source, graph);
  } catch (error) {
    const refused = temporaryTablesRefused(error);
    if (!refused) throw error;
    throw new SubsetError(
      'SUBSET_NEEDS_TEMPORARY_TABLES',
      `a subset is selected in temporary tables of the source, which ${refused}: ${safeErrorMessage(error)}`,
      ExitCode.runtime,
    );
  }
}

/** `COPY (the selected rows of the table) TO STDOUT`, for the session that selected them. */
export function subsetCopyOutSql(selection: SubsetSelection, plan: TablePlan): string {
  return `COPY (${subsetReadSql(
    selection,
    plan.key,
    plan.columns.map((c) => c.name),
  )}) TO STDOUT`;
}

/** A warning for each root table the subset selected no row of: its `where:` may be wrong. */
export function subsetWarnings(selection: SubsetSelection): { code: string; message: string }[] {
  const empty = [...new Set(selection.graph.roots.map((r) => r.node))].filter((node) => selection.nodes.get(node)?.selectedRows === 0);
  return empty.map((node) => ({ code: 'SUBSET_ROOT_SELECTS_NOTHING', message: `subset: the root ${node} selects no row (check its where:); the subset holds no row of it` }));
}

/** The report's record of a subset: rows selected of the total, per table of the subset. */
export function subsetReport(selection: SubsetSelection): SubsetReport {
  return {
    rounds: selection.rounds,
    tables: [...selection.nodes].map(([table, node]) => ({ table, selected: node.selectedRows, total: node.totalRows, totalExact: node.totalRowsExact })),
  };
}

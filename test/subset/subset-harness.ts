import { expect } from 'vitest';
import { sqlIdent } from '../../src/catalog/names.js';
import { readCatalog } from '../../src/catalog/read-catalog.js';
import { Session } from '../../src/db/connection.js';
import { referenceGraph } from '../../src/subset/reference-graph.js';
import { type SelectSubsetOptions, type SubsetSelection, selectSubset } from '../../src/subset/select-subset.js';
import { subsetReadSql } from '../../src/subset/subset-read-sql.js';
import type { SubsetSpec } from '../../src/subset/subset-spec.js';

/** A subset's outcome, read back in the selecting transaction. */
export interface SubsetOutcome {
  readonly selection: SubsetSelection;
  /** By table key: the rows the copy would read (nulled columns applied), as JSON text, sorted. */
  readonly rows: ReadonlyMap<string, readonly string[]>;
  /** By table key: the selected ctids (with partition oid), sorted. */
  readonly ctids: ReadonlyMap<string, readonly string[]>;
}

/**
 * Selects a subset of `schema` in a REPEATABLE READ transaction, checks referential
 * completeness by SQL for every edge of the graph, reads every node's rows through
 * `subsetReadSql`, and rolls back.
 */
export async function runSubset(url: string, schema: string, spec: SubsetSpec, options: SelectSubsetOptions = {}): Promise<SubsetOutcome> {
  const session = await Session.connect(url, 'source');
  try {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const catalog = await readCatalog(session, { schemas: [schema] });
    const graph = referenceGraph(catalog, spec);
    const selection = await selectSubset(session, graph, options);
    await assertComplete(session, selection);
    const rows = new Map<string, string[]>();
    const ctids = new Map<string, string[]>();
    for (const node of graph.nodes.values()) {
      const columns = node.table.columns.map((c) => c.name);
      const read = await session.query<{ r: string }>(`SELECT row_to_json(q)::text AS r FROM (${subsetReadSql(selection, node.key, columns)}) q ORDER BY 1`);
      rows.set(
        node.key,
        read.map((r) => r.r),
      );
      const sel = await session.query<{ t: string }>(
        `SELECT ${node.partitioned ? `part::text || ':' || ` : ''}"row"::text AS t FROM pg_temp.${sqlIdent(node.selectionTable)} ORDER BY 1`,
      );
      ctids.set(
        node.key,
        sel.map((r) => r.t),
      );
      expect(read.length).toBe(sel.length);
      expect(selection.nodes.get(node.key)?.selectedRows).toBe(sel.length);
    }
    return { selection, rows, ctids };
  } finally {
    await session.query('ROLLBACK').catch(() => {});
    await session.end();
  }
}

/** For every edge that is not nulled: every selected child row whose key finds a parent row finds a selected one. */
async function assertComplete(session: Session, selection: SubsetSelection): Promise<void> {
  const { graph } = selection;
  for (const edge of graph.edges) {
    const child = graph.nodes.get(edge.child)!;
    const parent = graph.nodes.get(edge.parent)!;
    const on = edge.columns.map((c, i) => `p.${sqlIdent(edge.referencedColumns[i]!)} = c.${sqlIdent(c)}`).join(' AND ');
    const childSel = child.partitioned ? 's.part = c.tableoid AND s."row" = c.ctid' : 's."row" = c.ctid';
    const parentSel = parent.partitioned ? 'sp.part = p.tableoid AND sp."row" = p.ctid' : 'sp."row" = p.ctid';
    const where = edge.where ? ` AND c.ctid IN (SELECT ctid FROM ${child.partitioned ? '' : 'ONLY '}${child.table.sqlName} WHERE ${edge.where})` : '';
    const [row] = await session.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${child.partitioned ? '' : 'ONLY '}${child.table.sqlName} c JOIN pg_temp.${sqlIdent(child.selectionTable)} s ON ${childSel}
         JOIN ${parent.partitioned ? '' : 'ONLY '}${parent.table.sqlName} p ON ${on}
        WHERE NOT EXISTS (SELECT 1 FROM pg_temp.${sqlIdent(parent.selectionTable)} sp WHERE ${parentSel})${where}`,
    );
    if (!edge.nulled) expect(Number(row?.n), `${edge.child} → ${edge.parent} (${edge.name})`).toBe(0);
  }
}

/** The selected rows' values of one column, parsed from the outcome's JSON rows, sorted. */
export function values(outcome: SubsetOutcome, table: string, column: string): unknown[] {
  const rows = outcome.rows.get(table);
  if (!rows) throw new Error(`no node ${table}`);
  return rows
    .map((r) => (JSON.parse(r) as Record<string, unknown>)[column])
    .sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

import { sqlIdent, sqlTableName } from '../catalog/names.js';
import type { ReferenceEdge, ReferenceGraph, SubsetGraphRoot, SubsetNode } from './reference-graph.js';
import { stableOrder } from './stable-order.js';

/*
 * The statements of the closure, every one an INSERT ... SELECT inside the server. Parameters:
 * $1 the statement's stamp (written on the rows it adds), $2 the stamp up to which the step's
 * source rows were already followed. Selected rows are read back with
 * `ctid = ANY (ARRAY(SELECT "row" FROM <selection>))`: a Tid Scan in physical order, where
 * `ctid IN (SELECT ...)` plans a hash join over a sequential scan of the whole table. A step
 * whose source rows are many (`large`) takes the `IN` form on purpose: the planner then counts
 * them (the selection analyzed) and hashes, where its guess of 10 rows from an array would
 * probe an index once per row. `via` holds the edge (index in the graph's edges, plus one)
 * that selected a row downwards: that row's parent along the same edge is selected already.
 */

/** `pg_temp."pgmask_subset_<oid>"`. */
export function selectionTableSql(node: SubsetNode): string {
  return `pg_temp.${sqlIdent(node.selectionTable)}`;
}

/** The DDL of a node's selection table: ctid (and partition for a partitioned table), whether followed downwards, stamp. */
export function createSelectionSql(node: SubsetNode): string {
  const key = node.partitioned
    ? 'part oid NOT NULL, "row" tid NOT NULL, down boolean NOT NULL, stamp int NOT NULL, via int NOT NULL, PRIMARY KEY (part, "row")'
    : '"row" tid PRIMARY KEY, down boolean NOT NULL, stamp int NOT NULL, via int NOT NULL';
  return `CREATE TEMP TABLE ${sqlIdent(node.selectionTable)} (${key}) ON COMMIT DROP`;
}

/** `ONLY schema.table` for a plain table, `schema.table` (all partitions) for a partitioned one. */
export function fromSql(node: SubsetNode): string {
  return `${node.partitioned ? '' : 'ONLY '}${sqlTableName(node.table.schema, node.table.name)}`;
}

/**
 * A FROM item over the selected rows of `node` (those whose selection row passes `filter`),
 * as columns pgmask_row, pgmask_part (partitioned only) and pgmask_k1..n (`columns`), keeping
 * only rows where `where` holds. `large`: many rows, read by `IN` rather than a Tid Scan.
 */
export function selectedRowsSql(node: SubsetNode, columns: readonly string[], filter: string, where?: string, large = false): string {
  const keys = columns.map((c, i) => `, x.${sqlIdent(c)} AS pgmask_k${i + 1}`).join('');
  const predicate = where ? ` AND (${where})` : '';
  if (!node.partitioned) {
    return `(SELECT x.ctid AS pgmask_row${keys} FROM ONLY ${sqlTableName(node.table.schema, node.table.name)} x WHERE ${byCtid(`SELECT s."row" FROM ${selectionTableSql(node)} s WHERE ${filter}`, large)}${predicate})`;
  }
  if (node.leaves.length === 0) return `(SELECT x.ctid AS pgmask_row, x.tableoid AS pgmask_part${keys} FROM ${fromSql(node)} x WHERE false)`;
  const parts = node.leaves.map(
    (leaf) =>
      `SELECT x.ctid AS pgmask_row, x.tableoid AS pgmask_part${keys} FROM ONLY ${sqlTableName(leaf.schema, leaf.name)} x WHERE ${byCtid(`SELECT s."row" FROM ${selectionTableSql(node)} s WHERE s.part = ${leaf.oid}::oid AND ${filter}`, large)}${predicate}`,
  );
  return `(${parts.join(' UNION ALL ')})`;
}

const byCtid = (rows: string, large: boolean): string => (large ? `x.ctid IN (${rows})` : `x.ctid = ANY (ARRAY(${rows}))`);

/** `left.col_i = right.pgmask_k<i>` for each column: the join of a table to a `selectedRowsSql` source. */
const join = (left: string, leftColumns: readonly string[], right: string): string =>
  leftColumns.map((c, i) => `${left}.${sqlIdent(c)} = ${right}.pgmask_k${i + 1}`).join(' AND ') || 'true';

/** The INSERT's target and conflict clause for rows selected downwards (a row already selected only as a parent is upgraded). */
function insertDown(node: SubsetNode, select: string): string {
  const cols = node.partitioned ? '(part, "row", down, stamp, via)' : '("row", down, stamp, via)';
  const conflict = node.partitioned ? '(part, "row")' : '("row")';
  return `WITH ins AS (INSERT INTO ${selectionTableSql(node)} AS t ${cols} ${select} ON CONFLICT ${conflict} DO UPDATE SET down = true, stamp = EXCLUDED.stamp, via = EXCLUDED.via WHERE NOT t.down RETURNING 1) SELECT count(*)::int AS n FROM ins`;
}

/** Selects a root's rows: predicate, stable order, limit (`limit` given as `$2` when set). */
export function rootSql(root: SubsetGraphRoot, node: SubsetNode, limited: boolean): string {
  const part = node.partitioned ? 'r.tableoid, ' : '';
  const where = root.where ? ` WHERE (${root.where})` : '';
  const limit = limited ? ' LIMIT $2::int8' : '';
  return insertDown(node, `SELECT ${part}r.ctid, true, $1::int, 0 FROM ${fromSql(node)} r${where} ORDER BY ${stableOrder(node.table, 'r', node.partitioned)}${limit}`);
}

/** Counts a root's matching rows (for `percent`). */
export function rootCountSql(root: SubsetGraphRoot, node: SubsetNode): string {
  return `SELECT count(*)::int8::text AS n FROM ${fromSql(node)}${root.where ? ` WHERE (${root.where})` : ''}`;
}

/** Selects every row of a whole table, downwards. */
export function wholeSql(node: SubsetNode): string {
  // A lookup table's rows are selected as parents are: its children are not followed (every
  // customer of every country). A table whose children should come too is a root without `where:`.
  const cols = node.partitioned ? '(part, "row", down, stamp, via)' : '("row", down, stamp, via)';
  return `WITH ins AS (INSERT INTO ${selectionTableSql(node)} ${cols} SELECT ${node.partitioned ? 'r.tableoid, ' : ''}r.ctid, false, $1::int, 0 FROM ${fromSql(node)} r ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM ins`;
}

/** The number an edge goes by in `via`: its index in the graph's edges, plus one. */
function edgeId(graph: ReferenceGraph, edge: ReferenceEdge): number {
  return graph.edges.indexOf(edge) + 1;
}

/**
 * Upwards along `edge`: the parent rows of the child's rows selected since stamp $2 (but those
 * selected downwards along this very edge, whose parent is selected).
 */
export function parentStepSql(graph: ReferenceGraph, edge: ReferenceEdge, large = false): string {
  const child = graph.nodes.get(edge.child)!;
  const parent = graph.nodes.get(edge.parent)!;
  const cols = parent.partitioned ? '(part, "row", down, stamp, via)' : '("row", down, stamp, via)';
  const source = selectedRowsSql(child, edge.columns, `s.stamp > $2::int AND s.via <> ${edgeId(graph, edge)}`, edge.where, large);
  return (
    `WITH ins AS (INSERT INTO ${selectionTableSql(parent)} ${cols} SELECT ${parent.partitioned ? 'p.tableoid, ' : ''}p.ctid, false, $1::int, 0 ` +
    `FROM ${source} c JOIN ${fromSql(parent)} p ON ${join('p', edge.referencedColumns, 'c')} ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM ins`
  );
}

/** Downwards along `edge`: the child rows referencing the parent's rows selected downwards since stamp $2 (at most limit_per_parent each, in stable order). */
export function childStepSql(graph: ReferenceGraph, edge: ReferenceEdge, large = false): string {
  const child = graph.nodes.get(edge.child)!;
  const parent = graph.nodes.get(edge.parent)!;
  const via = edgeId(graph, edge);
  const source = selectedRowsSql(parent, edge.referencedColumns, 's.stamp > $2::int AND s.down', undefined, large);
  const on = join('c', edge.columns, 'p');
  const where = edge.where ? ` WHERE (${edge.where})` : '';
  const part = child.partitioned ? 'c.tableoid, ' : '';
  const limit = edge.down?.limitPerParent;
  // A child row matches one parent row unless the key is unique in a partition only: then DISTINCT (ON CONFLICT DO UPDATE takes a row once).
  const distinct = edge.uniqueInParent ? '' : 'DISTINCT ';
  if (limit === undefined) return insertDown(child, `SELECT ${distinct}${part}c.ctid, true, $1::int, ${via} FROM ${source} p JOIN ${fromSql(child)} c ON ${on}${where}`);
  const byParent = parent.partitioned ? 'p.pgmask_part, p.pgmask_row' : 'p.pgmask_row';
  const ranked =
    `SELECT ${child.partitioned ? 'c.tableoid AS pgmask_cpart, ' : ''}c.ctid AS pgmask_crow, ` +
    `row_number() OVER (PARTITION BY ${byParent} ORDER BY ${stableOrder(child.table, 'c', child.partitioned)}) AS pgmask_n ` +
    `FROM ${source} p JOIN ${fromSql(child)} c ON ${on}${where}`;
  return insertDown(child, `SELECT ${distinct}${child.partitioned ? 'r.pgmask_cpart, ' : ''}r.pgmask_crow, true, $1::int, ${via} FROM (${ranked}) r WHERE r.pgmask_n <= ${limit}`);
}

/** Whether any selected child row references through `edge` (no NULL in its key): for edges into `empty` tables. */
export function referencesAnySql(graph: ReferenceGraph, edge: ReferenceEdge): string {
  const child = graph.nodes.get(edge.child)!;
  const source = selectedRowsSql(child, edge.columns, 'true', edge.where);
  return `SELECT EXISTS (SELECT 1 FROM ${source} c WHERE ${edge.columns.map((_, i) => `c.pgmask_k${i + 1} IS NOT NULL`).join(' AND ')}) AS found`;
}

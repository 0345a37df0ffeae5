import { sqlIdent, sqlTableName } from '../catalog/names.js';
import { tableKey } from '../catalog/table-key.js';
import type { Table } from '../catalog/types.js';
import { fromSql, selectionTableSql } from './closure-sql.js';
import type { ReferenceEdge, SubsetNode } from './reference-graph.js';
import type { SubsetSelection } from './select-subset.js';
import { SubsetError } from './subset-error.js';

/**
 * The SELECT that reads exactly the selected rows of a node's table, for the copy to wrap in
 * `COPY (...) TO STDOUT`, in the session (and transaction) that ran `selectSubset`. The rows are
 * read by ctid from the selection (`ctid = ANY (ARRAY(SELECT "row" ...))`: a Tid Scan in
 * physical order; a partitioned table reads each leaf partition so). A column of a `nulled`
 * edge is written NULL where the row's parent row is not selected:
 * `CASE WHEN EXISTS (selected parent) THEN col END`. A whole table reads every row, an empty
 * one none.
 *
 * @param table The node's table key (`tableKey(schema, name)`), or a leaf partition's (its rows of the partitioned table's selection).
 * @param columns The columns to read, in order (their names, unquoted).
 */
export function subsetReadSql(selection: SubsetSelection, table: string, columns: readonly string[]): string {
  const graph = selection.graph;
  const node = graph.nodes.get(table) ?? [...graph.nodes.values()].find((n) => n.leaves.some((leaf) => tableKey(leaf.schema, leaf.name) === table));
  if (!node) throw new SubsetError('SUBSET_TABLE', `subset: ${table} is not a table of the subset`);
  const nulled = graph.edges.filter((e) => e.nulled && e.child === node.key);
  const list =
    columns
      .map((column) =>
        columnSql(
          graph.nodes,
          column,
          nulled.filter((e) => e.columns.includes(column)),
        ),
      )
      .join(', ') || 'NULL';
  // A leaf partition, copied on its own: its rows of the partitioned table's selection.
  const leaf = node.key === table ? undefined : node.leaves.find((l) => tableKey(l.schema, l.name) === table)!;
  if (leaf) {
    if (node.role === 'empty') return `SELECT ${list} FROM ONLY ${sqlTableName(leaf.schema, leaf.name)} t WHERE false`;
    if (node.role === 'whole') return `SELECT ${list} FROM ONLY ${sqlTableName(leaf.schema, leaf.name)} t`;
    return leafSql(node, leaf, list);
  }
  if (node.role === 'empty') return `SELECT ${list} FROM ${fromSql(node)} t WHERE false`;
  if (node.role === 'whole') return `SELECT ${list} FROM ${fromSql(node)} t`;
  if (!node.partitioned) return `SELECT ${list} FROM ${fromSql(node)} t WHERE t.ctid = ANY (ARRAY(SELECT s."row" FROM ${selectionTableSql(node)} s))`;
  if (node.leaves.length === 0) return `SELECT ${list} FROM ${fromSql(node)} t WHERE false`;
  return node.leaves.map((leaf) => leafSql(node, leaf, list)).join(' UNION ALL ');
}

function leafSql(node: SubsetNode, leaf: Table, list: string): string {
  return `SELECT ${list} FROM ONLY ${sqlTableName(leaf.schema, leaf.name)} t WHERE t.ctid = ANY (ARRAY(SELECT s."row" FROM ${selectionTableSql(node)} s WHERE s.part = ${leaf.oid}::oid))`;
}

function columnSql(nodes: ReadonlyMap<string, SubsetNode>, column: string, edges: readonly ReferenceEdge[]): string {
  const plain = `t.${sqlIdent(column)}`;
  if (edges.length === 0) return plain;
  const kept = edges.map((edge) => {
    const parent = nodes.get(edge.parent)!;
    const on = edge.referencedColumns.map((r, i) => `p.${sqlIdent(r)} = t.${sqlIdent(edge.columns[i]!)}`).join(' AND ');
    const selected = parent.partitioned ? 's.part = p.tableoid AND s."row" = p.ctid' : 's."row" = p.ctid';
    const exists = parent.role === 'empty' ? 'false' : `EXISTS (SELECT 1 FROM ${fromSql(parent)} p JOIN ${selectionTableSql(parent)} s ON ${selected} WHERE ${on})`;
    return edge.where ? `((${edge.where}) IS NOT TRUE OR ${exists})` : exists;
  });
  return `CASE WHEN ${kept.join(' AND ')} THEN ${plain} END AS ${sqlIdent(column)}`;
}

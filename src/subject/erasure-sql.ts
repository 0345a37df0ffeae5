import { sqlIdent } from '../catalog/names.js';
import { fromSql } from '../subset/closure-sql.js';
import type { ReferenceEdge, ReferenceGraph, SubsetNode } from '../subset/reference-graph.js';
import type { SubjectRow, SubjectTable } from './find-subject-rows.js';

/*
 * The SQL of an erasure. Rows are named by the keys `findSubjectRows` read back (the primary
 * key, else ctid, with the partition under a partitioned table), written as literals: the same
 * statements run in the transaction that found the rows and go into the script. Literals are
 * written for standard_conforming_strings = on (quotes doubled, backslashes as they are).
 */

/** Rows a statement names at most. */
const CHUNK = 500;

/** A text value as an SQL literal (`'it''s'`), NULL as NULL: untyped, so the column's type reads it. */
export function sqlLiteral(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}

/** Where a found row sits: the relation to name (a partition for rows named by ctid under a partitioned table) and the predicate on its key. */
function rowTarget(node: SubsetNode, found: SubjectTable, row: SubjectRow): { relation: string; key: string } {
  if (found.stableKey) return { relation: fromSql(node), key: `(${found.keyColumns.map(sqlIdent).join(', ')})` };
  // By ctid: `partition` is the partition as regclass prints it, a name SQL reads.
  return { relation: row.key['partition'] !== undefined ? `ONLY ${row.key['partition']}` : fromSql(node), key: 'ctid' };
}

const keyValues = (found: SubjectTable, row: SubjectRow): string =>
  found.stableKey ? `(${found.keyColumns.map((c) => sqlLiteral(row.key[c] ?? null)).join(', ')})` : `${sqlLiteral(row.key['ctid'] ?? null)}::tid`;

/** The DELETE statements of a table's found rows, by key, a few hundred rows each. */
export function deleteStatements(node: SubsetNode, found: SubjectTable): string[] {
  const groups = new Map<string, { key: string; values: string[] }>();
  for (const row of found.rows) {
    const target = rowTarget(node, found, row);
    const group = groups.get(target.relation) ?? { key: target.key, values: [] };
    group.values.push(keyValues(found, row));
    groups.set(target.relation, group);
  }
  const statements: string[] = [];
  for (const [relation, { key, values }] of groups) {
    for (let i = 0; i < values.length; i += CHUNK) statements.push(`DELETE FROM ${relation} WHERE ${key} IN (${values.slice(i, i + CHUNK).join(', ')});`);
  }
  return statements;
}

/** The UPDATE of one found row: each column set to its literal. */
export function updateStatement(node: SubsetNode, found: SubjectTable, row: SubjectRow, set: readonly (readonly [string, string | null])[]): string {
  const target = rowTarget(node, found, row);
  const assignments = set.map(([column, value]) => `${sqlIdent(column)} = ${sqlLiteral(value)}`).join(', ');
  return `UPDATE ${target.relation} SET ${assignments} WHERE ${target.key} = ${keyValues(found, row)};`;
}

/** `x` is one of the rows held in the selection table (same transaction). */
function selectedSql(node: SubsetNode, alias: string, selectionTable: string): string {
  return node.partitioned
    ? `(${alias}.tableoid, ${alias}.ctid) IN (SELECT s.part, s."row" FROM pg_temp.${sqlIdent(selectionTable)} s)`
    : `${alias}.ctid = ANY (ARRAY(SELECT DISTINCT s."row" FROM pg_temp.${sqlIdent(selectionTable)} s))`;
}

/**
 * Reads the found rows of a table for masking: their key as `findSubjectRows` wrote it (k0..)
 * and the given columns as text (v0..), as COPY's text format would hold them.
 */
export function maskReadSql(node: SubsetNode, found: SubjectTable, selectionTable: string, columns: readonly string[]): string {
  const keys = found.stableKey
    ? found.keyColumns.map((c, i) => `x.${sqlIdent(c)}::text AS k${i}`)
    : [...(node.partitioned ? ['x.tableoid::regclass::text AS k0'] : []), `x.ctid::text AS k${node.partitioned ? 1 : 0}`];
  const values = columns.map((c, i) => `x.${sqlIdent(c)}::text AS v${i}`);
  return `SELECT ${[...keys, ...values].join(', ')} FROM ${fromSql(node)} x WHERE ${selectedSql(node, 'x', selectionTable)}`;
}

/**
 * Counts the rows of an edge's child that reference found rows of its parent and would stay:
 * every referencing row when the child's rows are not deleted, else those not found.
 */
export function referencingRowsSql(graph: ReferenceGraph, edge: ReferenceEdge, parentSelection: string, childSelection: string | undefined): string {
  const parent = graph.nodes.get(edge.parent)!;
  const child = graph.nodes.get(edge.child)!;
  const on = edge.columns.map((c, i) => `c.${sqlIdent(c)} = p.${sqlIdent(edge.referencedColumns[i]!)}`).join(' AND ');
  const stays = childSelection ? ` AND NOT (${selectedSql(child, 'c', childSelection)})` : '';
  return `SELECT count(*)::int AS n FROM ${fromSql(child)} c WHERE EXISTS (SELECT 1 FROM ${fromSql(parent)} p WHERE ${selectedSql(parent, 'p', parentSelection)} AND ${on})${stays}`;
}

import { sqlIdent, sqlTableName } from '../catalog/names.js';
import type { Column } from '../catalog/types.js';
import type { ReferenceGraph } from '../subset/reference-graph.js';

/**
 * A column's value as JSON that keeps its type: integers up to int4 and booleans as JSON
 * numbers and booleans; int8, numeric, money and floats as strings (no precision lost); dates,
 * times and timestamps as ISO 8601 strings (`to_jsonb`: `2026-12-07T10:00:00+01:00`); json and
 * jsonb as the document itself; bytea as base64; anything else as PostgreSQL's text.
 */
function valueJson(column: Column): string {
  const c = `t.${sqlIdent(column.name)}`;
  switch (column.family) {
    case 'boolean':
    case 'timestamp':
      return `to_jsonb(${c})`;
    case 'integer':
      return column.baseType === 'bigint' ? `to_jsonb(${c}::text)` : `to_jsonb(${c})`;
    case 'json':
      return `${c}::jsonb`;
    case 'bytea':
      return `to_jsonb(encode(${c}, 'base64'))`;
    case 'array':
      return `to_jsonb(${c})`;
    default:
      return `to_jsonb(${c}::text)`;
  }
}

/** jsonb_build_object takes at most 100 arguments: 50 columns an object, joined with `||`. */
function objectSql(columns: readonly Column[]): string {
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i += 50) {
    parts.push(
      `jsonb_build_object(${columns
        .slice(i, i + 50)
        .map((c) => `${sqlLiteral(c.name)}, ${valueJson(c)}`)
        .join(', ')})`,
    );
  }
  return parts.length > 0 ? parts.join(' || ') : `'{}'::jsonb`;
}

const sqlLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * `SELECT row::text FROM ...`: every row of a table that a subject search left in its temporary
 * table (`selectionTable`, in the same transaction), one JSON object per row with each column's
 * type kept (see `valueJson`), generated columns included, in physical order.
 */
export function rowJsonSql(graph: ReferenceGraph, table: string, selectionTable: string): string {
  const node = graph.nodes.get(table)!;
  const from = `${node.partitioned ? '' : 'ONLY '}${sqlTableName(node.table.schema, node.table.name)}`;
  const selected = node.partitioned
    ? `(t.tableoid, t.ctid) IN (SELECT s.part, s."row" FROM pg_temp.${sqlIdent(selectionTable)} s)`
    : `t.ctid = ANY (ARRAY(SELECT DISTINCT s."row" FROM pg_temp.${sqlIdent(selectionTable)} s))`;
  return `SELECT (${objectSql(node.table.columns)})::text AS row FROM ${from} t WHERE ${selected} ORDER BY t.ctid`;
}

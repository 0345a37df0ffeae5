import { sqlIdent } from '../catalog/names.js';
import type { Table } from '../catalog/types.js';

/**
 * The order a subset takes rows of a table in, as an ORDER BY list on `alias`: the primary key,
 * else the first unique key, else none; then (the partition and) ctid, which makes it total.
 * Deterministic within one snapshot.
 */
export function stableOrder(table: Table, alias: string, partitioned: boolean): string {
  const key = table.primaryKey ?? table.uniqueKeys[0] ?? [];
  const tail = partitioned ? [`${alias}.tableoid`, `${alias}.ctid`] : [`${alias}.ctid`];
  return [...key.map((c) => `${alias}.${sqlIdent(c)}`), ...tail].join(', ');
}

import type pg from 'pg';
import type { Session } from './connection.js';

/**
 * One SELECT per item, `perQuery` items a round trip, each a branch of one UNION ALL statement:
 * `SELECT <index> AS i<tail>`, where `tail(item)` gives the rest of the branch (`, last_value
 * FROM s`, ` WHERE EXISTS (...)`). Returns each row with the item it belongs to, in item order;
 * an item whose branch gives no row has none.
 * @example const held = await selectEach(session, tables, 500, (t) => ` WHERE EXISTS (SELECT 1 FROM ${t.sqlName})`);
 */
export async function selectEach<I, R extends pg.QueryResultRow = pg.QueryResultRow>(
  session: Session,
  items: readonly I[],
  perQuery: number,
  tail: (item: I) => string,
): Promise<{ readonly item: I; readonly row: R }[]> {
  const out: { item: I; row: R }[] = [];
  for (let from = 0; from < items.length; from += perQuery) {
    const some = items.slice(from, from + perQuery);
    const rows = await session.query<R & { i: number }>(some.map((item, i) => `SELECT ${i} AS i${tail(item)}`).join(' UNION ALL '));
    for (const row of rows.sort((a, b) => a.i - b.i)) out.push({ item: some[row.i]!, row });
  }
  return out;
}

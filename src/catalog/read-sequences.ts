import type { Session } from '../db/connection.js';
import { sqlTableName } from './names.js';

/** A sequence's state, as `setval` takes it. */
export interface SequenceState {
  readonly sqlName: string;
  readonly lastValue: string;
  readonly isCalled: boolean;
}

/**
 * Every sequence outside the system schemas with its current value, identity and serial
 * sequences included. Read inside the caller's transaction, so under its snapshot.
 */
export async function readSequences(session: Session): Promise<SequenceState[]> {
  const sequences = await session.query<{ schema: string; name: string }>(`
    SELECT n.nspname AS schema, c.relname AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_temp%'
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 1, 2`);
  // A few hundred sequences a round trip: one SELECT of each, put together with UNION ALL.
  const states: SequenceState[] = [];
  for (let from = 0; from < sequences.length; from += SEQUENCES_PER_QUERY) {
    const names = sequences.slice(from, from + SEQUENCES_PER_QUERY).map(({ schema, name }) => sqlTableName(schema, name));
    const rows = await session.query<{ i: number; last_value: string; is_called: boolean }>(
      names.map((sqlName, i) => `SELECT ${i} AS i, last_value::text, is_called FROM ${sqlName}`).join(' UNION ALL '),
    );
    for (const row of rows.sort((a, b) => a.i - b.i)) states.push({ sqlName: names[row.i]!, lastValue: row.last_value, isCalled: row.is_called });
  }
  return states;
}

/** Sequences read, or set, in one statement. */
export const SEQUENCES_PER_QUERY = 500;

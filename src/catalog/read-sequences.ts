import type { Session } from '../db/connection.js';
import { selectEach } from '../db/select-each.js';
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
  // A few hundred sequences a round trip.
  const names = sequences.map(({ schema, name }) => sqlTableName(schema, name));
  const rows = await selectEach<string, { last_value: string; is_called: boolean }>(
    session,
    names,
    SEQUENCES_PER_QUERY,
    (sqlName) => `, last_value::text, is_called FROM ${sqlName}`,
  );
  return rows.map(({ item, row }) => ({ sqlName: item, lastValue: row.last_value, isCalled: row.is_called }));
}

/** Sequences read, or set, in one statement. */
export const SEQUENCES_PER_QUERY = 500;

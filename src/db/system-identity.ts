import type { Session } from './connection.js';

/**
 * What identifies a database across connection strings: the server's system identifier and
 * the database name where pg_control_system() is readable, host, port and name otherwise.
 */
export async function systemIdentity(session: Session): Promise<string> {
  const [row] = await session
    .query<{ id: string | null; db: string }>(`SELECT (SELECT system_identifier::text FROM pg_control_system()) AS id, current_database() AS db`)
    .catch(() => session.query<{ id: string | null; db: string }>('SELECT NULL::text AS id, current_database() AS db'));
  return row?.id ? `${row.id}/${row.db}` : `${session.info.host}:${session.info.port}/${row?.db ?? session.info.database}`;
}
